import Foundation
import ZIPFoundation

/// The CSV files of an app export: a folder, a `.zip`, or one `.csv`.
enum AppExport {
    /// Every CSV of the export as (file name, text), by name.
    static func files(_ path: String) throws -> [(name: String, text: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ESMError("\(path): no such file or folder") }
        var files: [(String, String)] = []
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.lowercased().hasSuffix(".csv") }
            for name in names { files.append((name, try text(Data(contentsOf: URL(fileURLWithPath: path + "/" + name)), path + "/" + name))) }
        } else if path.lowercased().hasSuffix(".zip") {
            let archive: Archive
            do {
                archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            } catch {
                throw ESMError("\(path): not a readable ZIP archive: \(error)")
            }
            for entry in archive where entry.type == .file && entry.path.lowercased().hasSuffix(".csv") && !entry.path.contains("__MACOSX") {
                var data = Data()
                _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
                let name = (entry.path as NSString).lastPathComponent
                files.append((name, try text(data, path + ":" + entry.path)))
            }
        } else if path.lowercased().hasSuffix(".csv") {
            files.append(((path as NSString).lastPathComponent, try text(Data(contentsOf: URL(fileURLWithPath: path)), path)))
        } else {
            throw ESMError("\(path): an export is a folder, a .zip or a .csv")
        }
        if files.isEmpty { throw ESMError("\(path): no CSV files in the export") }
        return files.sorted { $0.0 < $1.0 }
    }

    private static func text(_ data: Data, _ where_: String) throws -> String {
        guard let s = String(data: data, encoding: .utf8) else { throw ESMError("\(where_): not UTF-8 text") }
        return s
    }
}
