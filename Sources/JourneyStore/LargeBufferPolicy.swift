#if os(Linux)
import CMalloc
#endif

/// How glibc's allocator treats the import's large buffers (batches of records, LMDB's dirty
/// pages, parsed chunks).
///
/// glibc serves blocks above a threshold with `mmap` and returns them to the system on `free`,
/// but it raises that threshold to the size of every such block freed (up to 32 MB), after which
/// megabyte-sized buffers come from its heaps and their memory stays with the process once freed
/// on another thread. An import frees on the writer thread what the importer thread allocated,
/// batch after batch, so the dynamic threshold costs it about 30 MB of resident memory
/// (BENCHMARKS.md; measured before written batches were reused, `BatchRecycler`, which leaves
/// the first batches and the gathered index entries to this policy). Fixing the threshold
/// stops that: blocks of tens of MB are always mapped and returned; smaller buffers (parsed
/// chunks) stay on the heaps.
enum LargeBufferPolicy {
    /// 4 MB, fixed so that it no longer adapts. (glibc starts at 128 KiB: fixed there, it saved
    /// 10 MB more but cost 0.3-0.5 s of page faults an import, BENCHMARKS.md.)
    static let mmapThreshold: Int32 = 4 << 20

    /// Applies the policy to this process (once; later calls do nothing).
    static func apply() { _ = applied }

    private static let applied: Bool = {
        #if os(Linux)
        mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1
        #else
        false  // glibc's; other allocators do not adapt a threshold this way
        #endif
    }()
}
