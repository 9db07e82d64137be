import Foundation
import SegworkData

/// Erasure of customers from a workspace (`seg forget`; the right to erasure of GDPR Art. 17, CCPA deletion).
/// See docs/PRIVACY.md, "Erasure".
///
/// One erasure, under the workspace's write lock:
/// 1. records an audit row (`erasures`) with the ids' salted hashes (HMAC-SHA256 keyed with the salt from
///    `privacy.salt_env`, default `SEG_ID_SALT`), never the ids; committed before anything changes;
/// 2. rewrites every dataset snapshot in `.seg/datasets/` that holds one of the customers in its id column (the
///    columns definitions use as `id`, `join` or `features.rfm.customer` for that dataset) into a new
///    content-addressed file, and removes every stored membership row of them;
/// 3. commits all store changes in one transaction (snapshot rows, dataset versions, memberships with new
///    checksums, the rewrites old hash → new hash, the versions changed), then deletes the old snapshot files;
/// 4. removes their rows from `membership.csv` and `rejects.csv` of every folder under `exports/`, and removes
///    diff folders that compare a changed version;
/// 5. marks the audit row complete.
/// A crash at any moment leaves a valid workspace; running `seg forget` again (with or without the ids, with the
/// same salt) completes every interrupted erasure first. Profiles (aggregates) are left as computed.
public struct Erasure {
    /// The workspace.
    public let workspace: Workspace
    /// Its store.
    public let store: VersionStore
    let hasher: IDHasher

    /// What `forget` did.
    public struct Outcome: Sendable {
        /// The erasure of the ids asked for (nil when none were given).
        public var erasure: ErasureRecord?
        /// Interrupted erasures completed first (the one asked for again included).
        public var completed: [ErasureRecord]
        /// Ids asked for that were found nowhere (for the terminal only; the audit keeps counts).
        public var notFound: [String]
        /// The workspace's own data files (as the definitions name them) that still hold the customers, with row counts:
        /// forget never changes them.
        public var userFiles: [(file: String, rows: Int)]
        /// Datasets the current definitions read through source plugins (`survey (legacy_pipe, data/x.txt)`):
        /// Segwork never stores what those plugins read, and cannot tell whether it holds the customers.
        public var sourceInputs: [String] = []
    }

    /// Erases `ids` from the workspace's store and exports, after completing any interrupted erasure. Needs the
    /// salt (a `DefinitionError` naming the variable when it is not set); takes the write lock (`.busy` when
    /// another seg holds it).
    public static func forget(ids: [String], in workspace: Workspace) throws -> Outcome {
        let hasher = try workspace.privacy.hasher(file: workspace.configDisplay)
        let store = try VersionStore.open(workspace: workspace.root, create: false)
        // The lock file names the command, so never the ids.
        let lock = try store.lockForWriting(command: "seg forget (\(ids.count) \(ids.count == 1 ? "id" : "ids"))")
        defer { lock.release() }
        AtomicWriter.recoverLeftovers(under: workspace.exportsDirectory)
        let erasure = Erasure(workspace: workspace, store: store, hasher: hasher)

        var unique: [String] = []
        var seen = Set<String>()
        for id in ids where !id.isEmpty && seen.insert(id).inserted { unique.append(id) }
        let hashes = unique.map { hasher.hmac(Array($0.utf8)) }
        var outcome = Outcome(erasure: nil, completed: [], notFound: [], userFiles: [])
        for pending in try store.incompleteErasures() {
            guard pending.saltFingerprint == hasher.fingerprint else {
                throw StoreError.erasureSaltChanged(erasure: pending.id, variable: workspace.privacy.saltVariable)
            }
            let done = try erasure.pass(pending, rawIDs: Set(pending.idHashes) == Set(hashes) ? unique : [])
            outcome.completed.append(done)
            if !hashes.isEmpty, Set(pending.idHashes) == Set(hashes) { outcome.erasure = done }
        }
        if outcome.erasure == nil, !unique.isEmpty {
            let record = try store.beginErasure(idHashes: hashes.sorted(), saltVariable: workspace.privacy.saltVariable,
                                                saltFingerprint: hasher.fingerprint)
            do {
                outcome.erasure = try erasure.pass(record, rawIDs: unique)
            } catch let error as StoreError {
                // Refused while planning (nothing applied): the request leaves no incomplete audit row behind.
                if case .erasureUnsupported = error { try store.discardErasure(record.number) }
                throw error
            }
        }
        if let e = outcome.erasure {
            outcome.notFound = zip(unique, hashes).filter { _, h in
                e.idHashes.firstIndex(of: h).map { e.found[$0] == 0 } ?? true
            }.map(\.0)
            outcome.userFiles = erasure.userFiles(ErasureMatcher(hasher: hasher, hashes: e.idHashes, ids: unique))
            outcome.sourceInputs = erasure.sourceInputs()
        }
        return outcome
    }

    /// One pass of an erasure: everything still holding its customers is changed, and the audit row completed.
    func pass(_ record: ErasureRecord, rawIDs: [String]) throws -> ErasureRecord {
        let matcher = ErasureMatcher(hasher: hasher, hashes: record.idHashes, ids: rawIDs)
        var found = [Int](repeating: 0, count: record.idHashes.count)
        var counts = ErasureCounts()
        let searched = try rewriteSnapshots(matcher, rawIDs: rawIDs, &found, &counts)
        let rewrites = searched.rewrites
        let versions = try changedVersions(matcher, searched: searched, &found, &counts)
        try store.applyErasure(record.number, rewrites: rewrites, versions: versions, found: found, counts: counts)

        var later = ErasureCounts()
        var laterFound = [Int](repeating: 0, count: record.idHashes.count)
        later.filesDeleted = try store.removeUnreferencedSnapshots()
        later.exportRows += try store.eraseStoredRejects()   // the rejects each version keeps for `seg export`
        try eraseExports(record.number, matcher, &laterFound, &later)
        try store.addToErasure(record.number, found: laterFound, counts: later, complete: true)
        guard let done = try store.erasures().first(where: { $0.number == record.number }) else {
            throw store.damaged("erasure #\(record.number) disappeared")
        }
        return done
    }

    /// The customer id columns of each dataset of `def`: the population's `id`, a joined dataset's `join`, the RFM
    /// transactions' `customer`.
    static func idColumns(of def: Definition) -> [String: Set<String>] {
        var out: [String: Set<String>] = [def.population: [def.id]]
        for spec in def.datasets { if let join = spec.join { out[spec.name, default: []].insert(join) } }
        if let rfm = def.rfm { out[rfm.transactions, default: []].insert(rfm.customer) }
        return out
    }

    /// The workspace's current definitions that parse (a broken one is skipped: erasure does not need it).
    func currentDefinitions() -> [Definition] {
        ((try? workspace.definitionFiles()) ?? []).compactMap {
            try? Definition.load(path: $0.path, displayPath: workspace.display($0))
        }
    }

    /// Id columns per snapshot hash, from every stored version's definition (by input) and the current
    /// definitions (by imported dataset name); plus every id column name seen, for snapshots no definition names.
    func snapshotColumns() throws -> (bySHA: [String: Set<String>], names: [String: String], all: Set<String>) {
        let found = try snapshotLayout()
        return (found.bySHA, found.names, found.all)
    }

    /// `snapshotColumns`, with the layout (`delimiter:`, `header:`, `columns:`) each snapshot is read with.
    func snapshotLayout() throws -> (bySHA: [String: Set<String>], names: [String: String], all: Set<String>,
                                     formats: [String: TextFormat]) {
        var bySHA: [String: Set<String>] = [:], names: [String: String] = [:], all = Set<String>()
        var formats: [String: TextFormat] = [:]
        let rows = try store.sql { try store.db.rows("SELECT number, definition, definition_text, inputs FROM versions ORDER BY number") }
        for row in rows {
            guard let name = row.text(1), let text = row.text(2), let inputsJSON = row.text(3) else { continue }
            let inputs = try store.decode([InputInfo].self, inputsJSON, "the inputs of version v\(row.int(0) ?? 0)")
            guard let def = try? Definition.parse(text: text, file: "\(name).yaml", defaultName: name) else { continue }
            let columns = Self.idColumns(of: def)
            for input in inputs {
                names[input.sha256] = names[input.sha256] ?? "dataset '\(input.name)' (\(input.file))"
                if let spec = def.datasets.first(where: { $0.name == input.name }), !spec.format.isDefault {
                    formats[input.sha256] = spec.format
                }
                // A PostgreSQL push-down's snapshot holds one aggregate row per customer, keyed by seg_customer.
                let pushed: Set<String>? = input.postgres?.pushedDown == true ? ["seg_customer"] : nil
                guard let c = pushed ?? columns[input.name] else { continue }
                bySHA[input.sha256, default: []].formUnion(c)
                all.formUnion(c)
            }
        }
        let imported = try store.datasetVersions()
        for def in currentDefinitions() {
            let columns = Self.idColumns(of: def)
            all.formUnion(columns.values.flatMap { $0 })
            for spec in def.datasets {
                guard let name = spec.imported, let c = columns[spec.name] else { continue }
                for d in imported where d.name == name {
                    bySHA[d.sha256, default: []].formUnion(c)
                    if !spec.format.isDefault { formats[d.sha256] = formats[d.sha256] ?? spec.format }
                }
            }
        }
        for d in imported { names[d.sha256] = names[d.sha256] ?? "imported dataset '\(d.name)' (\(d.file))" }
        return (bySHA, names, all, formats)
    }

    /// What `rewriteSnapshots` did: the rewrites, and per snapshot searched record by record (old SHA-256) the
    /// customers (indices) whose records it removed, with the snapshot's name for messages.
    struct SnapshotSearch {
        var rewrites: [SnapshotRewrite] = []
        var removedKeys: [String: Set<Int>] = [:]
        var names: [String: String] = [:]
    }

    /// Reads every recorded snapshot, removes the erasure's customers, writes the changed ones as new files.
    private func rewriteSnapshots(_ matcher: ErasureMatcher, rawIDs: [String], _ found: inout [Int],
                                  _ counts: inout ErasureCounts) throws -> SnapshotSearch {
        let (bySHA, names, all, formats) = try snapshotLayout()
        let rows = try store.sql { try store.db.rows("SELECT path, sha256 FROM snapshots ORDER BY path") }
        var search = SnapshotSearch()
        var rewrites: [SnapshotRewrite] = []
        for row in rows {
            guard let path = row.text(0), let sha = row.text(1) else { continue }
            let url = store.directory.appendingPathComponent(path)
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw StoreError.io(operation: "read the snapshot", path: ".seg/\(path)", message: "\(error.localizedDescription)")
            }
            let what = names[sha] ?? "the stored snapshot .seg/\(path)"
            let ext = DataReader.fileExtension(path)
            guard let result = try Self.filter(data, extension: ext, format: formats[sha] ?? TextFormat(),
                                               columns: bySHA[sha] ?? [], fallback: all,
                                               what: what, matcher: matcher) else {
                // Not a format Segwork reads (a source plugin's input): it cannot tell where an id is.
                if rawIDs.contains(where: { data.range(of: Data($0.utf8)) != nil }) {
                    throw StoreError.erasureUnsupported(what: what, reason: "it is not CSV, TSV or JSON Lines, so Segwork "
                        + "cannot tell which records belong to a customer, and it contains one of the ids. Remove the customer "
                        + "from the original file and import it again; see docs/PRIVACY.md")
                }
                continue
            }
            search.names[sha] = what
            search.removedKeys[sha] = Set(result.removed.map(\.key).filter { $0 >= 0 })
            guard !result.removed.isEmpty else { continue }
            for r in result.removed where r.key >= 0 { found[r.key] += 1 }
            let written = try store.writeSnapshot(result.data, extension: (url.pathExtension))
            rewrites.append(SnapshotRewrite(oldPath: path, oldSHA256: sha, newPath: written.path, newSHA256: written.sha256,
                                            newBytes: result.data.count,
                                            removedSpans: result.removed.map { [$0.line, $0.lineCount] }))
            counts.snapshotsRewritten += 1
            counts.snapshotRows += result.removed.count
        }
        search.rewrites = rewrites
        return search
    }

    /// `data` without the records whose id column (one of `columns`, else one of `fallback` that the header has)
    /// matches; nil for a format Segwork does not read. A file with no such column that mentions a customer in any
    /// field cannot be erased safely: `.erasureUnsupported`.
    /// `format` is the layout the definitions read the file with (a delimiter, no header line).
    static func filter(_ data: Data, extension ext: String, format: TextFormat = TextFormat(), columns: Set<String>,
                       fallback: Set<String>, what: String, matcher: ErasureMatcher) throws -> RecordFilter.Result? {
        var blocked = false
        let result: RecordFilter.Result
        let delimited = DataReader.csvExtensions[ext] != nil
            || (format.delimiter != nil && !DataReader.jsonLinesExtensions.contains(ext))
        if delimited {
            let implied = DataReader.csvExtensions[ext].flatMap { $0 } ?? UInt8(ascii: ",")
            var indices: [Int]?
            result = RecordFilter.delimited(data, format: format, implied: implied) { header, fields in
                if indices == nil {
                    let wanted = columns.isEmpty ? fallback : columns
                    indices = header.indices.filter { wanted.contains(header[$0]) }
                }
                if indices!.isEmpty {
                    if fields.contains(where: { matcher.raw($0) != nil }) { blocked = true }
                    return nil
                }
                for i in indices! where i < fields.count { if let k = matcher.raw(fields[i]) { return k } }
                return nil
            }
        } else if DataReader.jsonLinesExtensions.contains(ext) {
            // Id texts as the reader makes them (a number as written: `1e2` is the id "1e2", not "100").
            result = RecordFilter.jsonLines(data) { fields in
                let keys = (columns.isEmpty ? fallback : columns).filter { fields[$0] != nil }
                if keys.isEmpty {
                    if fields.values.contains(where: { matcher.raw($0) != nil }) { blocked = true }
                    return nil
                }
                for key in keys.sorted() { if let k = fields[key].flatMap(matcher.raw) { return k } }
                return nil
            }
        } else {
            return nil
        }
        if blocked {
            throw StoreError.erasureUnsupported(what: what, reason: "no definition names its customer id column, and a "
                + "record mentions one of the customers. Add the dataset to a definition (population, join or "
                + "features.rfm) so its id column is known, then run seg forget again")
        }
        return result
    }

    /// Versions whose stored membership holds the customers or whose input snapshots were just rewritten.
    ///
    /// A customer in a version's stored membership came from that version's population snapshot; when that snapshot
    /// was searched and none of its records of the customer was found, the customer would stay in the store while
    /// the erasure reports it found: that is refused (`.erasureUnsupported`, nothing is changed).
    private func changedVersions(_ matcher: ErasureMatcher, searched: SnapshotSearch, _ found: inout [Int],
                                 _ counts: inout ErasureCounts) throws -> [VersionErasure] {
        let rewritten = Set(searched.rewrites.map(\.oldSHA256))
        var out: [VersionErasure] = []
        for summary in try store.versionSummaries() {
            let v = try store.version("v\(summary.number)")
            let result = RecordFilter.delimited(v.membershipCSV, delimiter: UInt8(ascii: ",")) { _, fields in
                fields.first.flatMap(matcher.membershipID)
            }
            // An input's bytes may live on in a rewrite of an earlier erasure, or be stored again (a later run of
            // the same file): either one being rewritten now changes the version.
            let inputs = try v.inputs.filter { input in
                if rewritten.contains(input.sha256) { return true }
                return rewritten.contains(try store.currentSHA256(of: input.sha256))
            }.count
            guard !result.removed.isEmpty || inputs > 0 else { continue }
            if !result.removed.isEmpty, let def = try? Definition.parse(text: v.definitionText, file: "\(v.definition).yaml",
                                                                        defaultName: v.definition) {
                for input in v.inputs where input.name == def.population {
                    // The run's bytes are stored under their own hash (again, after a later run of the same file) or
                    // live on in an earlier erasure's rewrite: the customer's records are in one of them.
                    let shas = Set([input.sha256, try store.currentSHA256(of: input.sha256)])
                        .filter { searched.removedKeys[$0] != nil }   // those searched record by record
                    guard let sha = shas.sorted().first else { continue }
                    let removedKeys = shas.reduce(into: Set<Int>()) { $0.formUnion(searched.removedKeys[$1]!) }
                    if result.removed.contains(where: { !removedKeys.contains($0.key) }) {
                        throw StoreError.erasureUnsupported(what: searched.names[sha] ?? "the population of v\(v.number)",
                            reason: "v\(v.number)'s stored membership holds one of the customers, but no record of this "
                            + "snapshot (the population that version read) matched the id in its id column '\(def.id)', so "
                            + "the customer would stay in the store. Report this as a bug, with how the id is written in the data")
                    }
                }
            }
            for r in result.removed { found[r.key] += 1 }
            out.append(VersionErasure(number: v.number, membership: result.removed.isEmpty ? nil : result.data,
                                      membershipRows: result.removed.count, inputsRewritten: inputs))
            counts.versionsChanged += 1
            counts.membershipRows += result.removed.count
        }
        return out
    }

    /// Datasets of the current definitions that source plugins read, with the plugin and its `file` parameter.
    func sourceInputs() -> [String] {
        var out = Set<String>()
        for def in currentDefinitions() {
            for spec in def.datasets {
                guard let source = spec.source else { continue }
                var file = ""
                if case .string(let f)? = spec.params["file"] { file = ", \(f)" }
                out.insert("\(spec.name) (\(source)\(file))")
            }
        }
        return out.sorted()
    }

    /// The workspace's own data files (named by the current definitions) that still hold the customers.
    func userFiles(_ matcher: ErasureMatcher) -> [(file: String, rows: Int)] {
        var out: [String: Int] = [:]
        for def in currentDefinitions() {
            let columns = Self.idColumns(of: def)
            for spec in def.datasets {
                guard let file = spec.file, let c = columns[spec.name] else { continue }
                let url = workspace.resolve(file)
                guard let data = FileManager.default.contents(atPath: url.path),
                      let result = try? Self.filter(data, extension: DataReader.fileExtension(url.path),
                                                    format: spec.format, columns: c,
                                                    fallback: [], what: file, matcher: matcher),
                      !result.removed.isEmpty else { continue }
                out[file] = result.removed.count
            }
        }
        return out.keys.sorted().map { ($0, out[$0]!) }
    }
}
