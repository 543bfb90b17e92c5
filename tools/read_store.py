#!/usr/bin/env python3
"""Read every event out of a JourneyStore with the Python `lmdb` binding, following
Schemas/STORAGE.md only (no JourneyStore code). Prints the events as `journey export` does,
and checks the hash chain on the way.

    python3 tools/read_store.py STORE_DIR [--participant P] [--upto SEQ]
"""
import argparse
import datetime
import hashlib
import struct
import sys

import lmdb


def rfc3339(micros: int) -> str:
    seconds, fraction = divmod(micros, 1_000_000)
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % fraction


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--participant")
    parser.add_argument("--upto", type=int)
    args = parser.parse_args()

    env = lmdb.open(args.store, readonly=True, lock=True, max_dbs=8, subdir=True)
    events = env.open_db(b"events", create=False)
    participants = env.open_db(b"participants", create=False)
    meta = env.open_db(b"meta", create=False)
    out = sys.stdout.buffer
    with env.begin() as txn:
        if txn.get(b"format", db=meta) != b"journeystore/1":
            sys.exit("not a journeystore/1 store")
        head = txn.get(b"head", db=meta)
        head_seq = struct.unpack(">Q", head[:8])[0]
        last = head_seq if args.upto is None else min(args.upto, head_seq)

        if args.participant is not None:
            prefix = args.participant.encode() + b"\x00"
            cursor = txn.cursor(db=participants)
            seqs = []
            if cursor.set_range(prefix):
                for key in cursor.iternext(values=False):
                    if not key.startswith(prefix) or len(key) != len(prefix) + 8:
                        break
                    seqs.append(struct.unpack(">Q", key[len(prefix):])[0])
            wanted = set(s for s in seqs if s <= last)
        else:
            wanted = None

        previous = bytes(32)
        cursor = txn.cursor(db=events)
        expected = 1
        for key, value in cursor:
            seq = struct.unpack(">Q", key)[0]
            if seq > head_seq:
                break  # staged by an import that has not committed
            assert seq == expected, f"gap before seq {seq}"
            expected += 1
            version, type_code = value[0], value[1]
            assert version == 1, f"record {seq}: unknown version {version}"
            appended = struct.unpack(">q", value[8:16])[0]
            stored_hash = value[16:48]
            h = hashlib.sha256(previous + key + value[:16] + value[48:]).digest()
            assert h == stored_hash, f"record {seq}: hash mismatch"
            previous = h
            if seq > last:
                continue
            if wanted is not None and seq not in wanted:
                continue
            json_bytes = bytes(value[48:])
            out.write(json_bytes[:-1])
            out.write(b',"seq":%d,"appended":"%s","hash":"%s"}\n' % (seq, rfc3339(appended).encode(), h.hex().encode()))
        if args.upto is None and args.participant is None:
            assert previous == head[8:40], "head hash does not match the last event"
    return 0


if __name__ == "__main__":
    sys.exit(main())
