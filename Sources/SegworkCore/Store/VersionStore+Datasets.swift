import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegworkData

extension VersionStore {
    /// Columns read for a dataset version, in the order `decodeDataset` expects.
    private static let datasetColumns = "name, sha256, file, snapshot, rows, bytes, columns, imported_at"

    /// Imports `file` as a new version of dataset `name`: its bytes are copied to the content-addressed snapshot
    /// `.seg/datasets/<sha256><.ext>` (temp file, fsync, rename, folder fsync) before the row is committed. When the
    /// latest version of `name` has the same bytes, nothing is written and `isNew` is false.
    ///
    /// A CSV/TSV/JSON Lines file is first read whole with `DataReader`, every column as text (types depend on the
    /// definition that reads it), so a file `seg run` would refuse for its structure (empty, header only, ragged
    /// rows, unclosed quote, bad UTF-8, NUL, repeated header name, bad JSON …) is refused here with the same
    /// `DataError`, naming `file` and the line, and nothing is stored. Rows and columns come from that read. Other
    /// extensions (files a source plugin reads) are stored unread, rows nil. `replaceInvalidUTF8` accepts bad UTF-8
    /// as a definition's `invalid_utf8: replace` does. `format` is the layout a definition gives with `delimiter:`,
    /// `header:`, `columns:` and `decimal:` (a file read with a delimiter given may have any extension but JSON
    /// Lines'); the store does not keep it, so a definition reading the dataset gives the same options.
    /// `progress`, when set, shows the phases. A file that reads as one column although another delimiter splits its
    /// lines evenly is refused with the flags that read it (see `ImportLayoutCheck`), unless `oneColumn`.
    public func importDataset(name: String, file: URL, replaceInvalidUTF8: Bool = false, format: TextFormat = TextFormat(),
                              oneColumn: Bool = false,
                              progress: ReadProgress? = nil) throws -> (version: DatasetVersion, isNew: Bool) {
        guard !name.isEmpty, !name.contains(where: \.isNewline) else { throw StoreError.invalidName(name) }
        defer { progress?.end() }
        progress?.begin("hashing \(file.relativePath)")
        let (sha, bytes) = try hashFile(file)
        if let latest = try latestDataset(name: name), latest.sha256 == sha { return (latest, false) }
        progress?.begin("reading \(file.relativePath)", totalBytes: bytes)
        let shape = try Self.validatedShape(of: file, replaceInvalidUTF8: replaceInvalidUTF8, format: format,
                                            oneColumn: oneColumn, progress: progress)
        progress?.begin("copying \(file.relativePath) into the store")
        let snapshot = try ensureSnapshot(of: file, sha256: sha).path
        progress?.end()
        let version = DatasetVersion(name: name, sha256: sha, file: file.relativePath, snapshot: snapshot,
                                     rows: shape.rows, bytes: bytes, columns: shape.columns, importedAt: timestamp())
        let columns = try Self.json(version.columns)
        try sql {
            try db.transaction {
                try db.rows("""
                    INSERT INTO datasets (name, sha256, file, snapshot, rows, bytes, columns, imported_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                    """, [.text(name), .text(sha), .text(version.file), .text(snapshot),
                          version.rows.map { .integer(Int64($0)) } ?? .null, .integer(Int64(bytes)),
                          .text(columns), .text(version.importedAt)])
            }
        }
        return (version, true)
    }

    /// Makes a content-addressed copy of `file` for a run and returns its SHA-256. Nothing is written when the
    /// snapshot is already recorded and present.
    ///
    /// `sha256` is the digest the caller already computed when it read the file (a run hashes every input for its
    /// run id): the file is then not hashed again; when a copy is needed, the copy is hashed once (`prepareCopy`), and
    /// a copy that does not match `sha256` (the file changed since) is removed and `.inputChanged` thrown. Without
    /// it, the file is hashed first.
    @discardableResult
    public func snapshot(file: URL, sha256: String? = nil) throws -> String {
        try snapshot(file: file, sha256: sha256, prepared: nil)
    }

    /// `snapshot(file:sha256:)` taking a copy of `file` already made and checked against `sha256`
    /// (`SnapshotPrefetch`): it is renamed into place instead of copying the file again (and removed when a
    /// snapshot of those bytes is already there).
    func snapshot(file: URL, sha256: String?, prepared: PendingCopy?) throws -> String {
        let sha = try sha256 ?? hashFile(file).sha256
        _ = try ensureSnapshot(of: file, sha256: sha, prepared: prepared)
        prepared?.discard()
        return sha
    }

    /// Where the snapshot of `sha256` lives, or nil when none is recorded and present (also nil when the store
    /// cannot be read; `verifyIntegrity()` reports why).
    public func snapshotURL(sha256: String) -> URL? { snapshotURL(sha256: sha256, extension: nil) }

    /// Where a snapshot of `sha256` lives, preferring one whose file extension is `ext` (the same bytes imported
    /// once as `.tsv` and once as `.csv` are two snapshots, and the extension decides how they are read).
    public func snapshotURL(sha256: String, extension ext: String?) -> URL? {
        let paths = (try? sql {
            try db.rows("SELECT path FROM snapshots WHERE sha256 = ?1 ORDER BY path", [.text(sha256)]).compactMap { $0.text(0) }
        }) ?? []
        let urls = paths.map { self.directory.appendingPathComponent($0) }.filter { FileManager.default.fileExists(atPath: $0.path) }
        if let ext, let match = urls.first(where: { $0.pathExtension.lowercased() == ext.lowercased() }) { return match }
        return urls.first
    }

    /// Every imported dataset version (of `name` when given), ordered by import time then import order.
    /// A `name` with no versions → `.unknownDataset` listing the imported names.
    public func datasetVersions(name: String? = nil) throws -> [DatasetVersion] {
        let rows = try sql {
            try name.map {
                try db.rows("SELECT \(Self.datasetColumns) FROM datasets WHERE name = ?1 ORDER BY imported_at, id", [.text($0)])
            } ?? db.rows("SELECT \(Self.datasetColumns) FROM datasets ORDER BY imported_at, id")
        }
        if let name, rows.isEmpty { throw StoreError.unknownDataset(name, available: try datasetNames()) }
        return try rows.map(decodeDataset)
    }

    /// The latest imported version of `name`, or nil when it was never imported.
    public func latestDataset(name: String) throws -> DatasetVersion? {
        let row = try sql {
            try db.row("SELECT \(Self.datasetColumns) FROM datasets WHERE name = ?1 ORDER BY imported_at DESC, id DESC LIMIT 1",
                       [.text(name)])
        }
        return try row.map(decodeDataset)
    }

    /// Names of the imported datasets, sorted.
    public func datasetNames() throws -> [String] {
        try sql { try db.rows("SELECT DISTINCT name FROM datasets ORDER BY name").compactMap { $0.text(0) } }
    }

    /// Stores a plugin's source text by its SHA-256 (of the UTF-8 bytes); `.hashMismatch` when the text does not
    /// hash to `sha256`. Storing the same source again does nothing.
    public func storePluginSource(_ text: String, sha256: String) throws {
        let actual = SHA256.hex(text)
        guard actual == sha256 else {
            throw StoreError.hashMismatch(what: "the plugin source given for \(sha256)", expected: sha256, actual: actual)
        }
        try sql {
            try db.transaction {
                try db.rows("INSERT OR IGNORE INTO plugin_sources (sha256, text) VALUES (?1, ?2)", [.text(sha256), .text(text)])
            }
        }
    }

    /// The stored source text with this SHA-256, or nil; `.corrupted` when the stored text no longer hashes right.
    public func pluginSource(sha256: String) throws -> String? {
        guard let text = try sql({ try db.row("SELECT text FROM plugin_sources WHERE sha256 = ?1", [.text(sha256)])?.text(0) })
        else { return nil }
        if SHA256.hex(text) != sha256 { throw damaged("the stored plugin source \(sha256.prefix(12))… was changed") }
        return text
    }

    /// Copies `file` (whose bytes hash to `sha256`) to `datasets/<sha256><.ext>` unless it is there, records it in
    /// `snapshots`, and returns the path relative to `.seg/` and the size. A file already there but not recorded (a
    /// writer killed between rename and commit) is kept when it hashes right and replaced otherwise. The copy is
    /// checked against `sha256` while it is written (`.inputChanged` when `file` changed meanwhile).
    private func ensureSnapshot(of file: URL, sha256: String, prepared: PendingCopy? = nil) throws -> (path: String, bytes: Int) {
        let ext = DataReader.fileExtension(file.path)
        let safeExt = !ext.isEmpty && ext.count <= 12 && ext.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
        let relative = "datasets/\(sha256)" + (safeExt ? ".\(ext)" : "")
        let url = directory.appendingPathComponent(relative)
        let recorded = try sql { try db.row("SELECT bytes FROM snapshots WHERE path = ?1", [.text(relative)]) }
        let present = FileManager.default.fileExists(atPath: url.path)
        if let recorded, present { return (relative, recorded.int(0).map { Int($0) } ?? 0) }
        if !isWritable(datasetsDirectory.path) { throw StoreError.readOnly(path: datasetsDirectory.path) }
        let bytes: Int
        if present, let existing = try? hashFile(url), existing.sha256 == sha256 {
            bytes = existing.bytes
        } else {
            if present { unlink(url.path) }
            if let prepared {
                try prepared.commit(to: url)
                bytes = prepared.bytes
            } else {
                bytes = try StoreFiles.durableCopy(file, to: url, expected: sha256)
            }
            bytesHashed += bytes
            checkpoint("snapshot-renamed")
        }
        let createdAt = timestamp()
        try sql {
            try db.transaction {
                try db.rows("INSERT OR IGNORE INTO snapshots (path, sha256, bytes, created_at) VALUES (?1, ?2, ?3, ?4)",
                            [.text(relative), .text(sha256), .integer(Int64(bytes)), .text(createdAt)])
            }
        }
        return (relative, bytes)
    }

    /// SHA-256 and size of `file`, counted in `bytesHashed`.
    private func hashFile(_ file: URL) throws -> (sha256: String, bytes: Int) {
        let result = try StoreFiles.hash(file)
        bytesHashed += result.bytes
        return result
    }

    /// Rows and columns of a CSV/TSV/JSON Lines file read as `seg run` reads it (every column as text), or
    /// (nil, []) for another extension; a file the reader refuses throws its `DataError`, naming the file as given.
    static func validatedShape(of url: URL, replaceInvalidUTF8: Bool, format: TextFormat = TextFormat(),
                               oneColumn: Bool = true,
                               progress: ReadProgress? = nil) throws -> (rows: Int?, columns: [String]) {
        let ext = DataReader.fileExtension(url.path)
        guard DataReader.csvExtensions[ext] != nil || DataReader.jsonLinesExtensions.contains(ext)
                || format.delimiter != nil else { return (nil, []) }
        var options = ReadOptions(replaceInvalidUTF8: replaceInvalidUTF8, progress: progress)
        options.format = format
        options.allText = true
        options.displayName = url.relativePath
        let delimited = DataReader.csvExtensions[ext] != nil || format.delimiter != nil
        // A delimited file is checked record by record but not kept (its first chunk is, for the layout check), so
        // importing a file needs about one chunk per thread, not the file's table.
        let shape = ReadShape()
        if delimited { options.shape = shape }
        let table = try DataReader.read(path: url.path, options: options)
        if delimited {
            try ImportLayoutCheck.check(table, format: format, shown: url.relativePath, oneColumn: oneColumn)
        }
        return (delimited ? shape.rows : table.rowCount, table.columnNames)
    }

    private func decodeDataset(_ row: SQLiteRow) throws -> DatasetVersion {
        guard let name = row.text(0), let sha = row.text(1), let file = row.text(2), let snapshot = row.text(3),
              let bytes = row.int(5), let columns = row.text(6), let importedAt = row.text(7) else {
            throw damaged("a dataset row has a missing or mistyped field")
        }
        return DatasetVersion(name: name, sha256: sha, file: file, snapshot: snapshot, rows: row.int(4).map { Int($0) },
                              bytes: Int(bytes), columns: try decode([String].self, columns, "the columns of dataset \(name)"),
                              importedAt: importedAt)
    }
}
