import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg import WORKSPACE NAME FILE`
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Snapshot a file into the workspace as a new version of dataset NAME.",
        discussion: "Definitions read it with `dataset: NAME` (the latest snapshot). Importing identical bytes again is a no-op that says so."
    )
    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "Dataset name.") var name: String
    @Argument(help: "The file to snapshot (CSV, TSV, JSON Lines, or any file a source plugin reads).") var file: String
    @Flag(name: .shortAndLong, help: "No progress line on a terminal (there is none when CI=true or standard error is not a terminal).")
    var quiet = false
    @Option(name: .customLong("invalid-utf8"), help: "'replace' accepts bytes that are not UTF-8, as a definition's `invalid_utf8: replace` does (default: refuse).")
    var invalidUTF8: String?
    @Option(help: "How fields are separated: ',' ';' '|', tab or whitespace (runs of spaces and tabs), as a definition's `delimiter:` (default: by extension).")
    var delimiter: String?
    @Flag(inversion: .prefixedNo, help: "--no-header: the file has no header line; name its columns with --columns (a definition's `header: false`).")
    var header = true
    @Option(help: "With --no-header: the column names in order, comma-separated (a definition's `columns:`).")
    var columns: String?
    @Option(help: "The decimal mark: '.' (default) or ',' (numbers written 11,77), as a definition's `decimal:`.")
    var decimal: String?
    @Flag(name: .customLong("one-column"), help: "The file really has one column: import it even though another delimiter splits its lines evenly (refused without this flag).")
    var oneColumn = false

    /// The layout the options give.
    var format: TextFormat {
        TextFormat(delimiter: delimiter.flatMap(TextFormat.delimiter(named:)), header: header,
                   columns: columns.map { $0.split(separator: ",", omittingEmptySubsequences: false)
                       .map { $0.trimmingCharacters(in: .whitespaces) } },
                   decimalComma: decimal == ",")
    }

    func validate() throws {
        if let v = invalidUTF8, v != "replace", v != "error" {
            throw ValidationError("--invalid-utf8 must be 'replace' or 'error', not '\(v)'")
        }
        if let d = delimiter, TextFormat.delimiter(named: d) == nil {
            throw ValidationError("--delimiter must be one of \(TextFormat.delimiterNames), not '\(d)'")
        }
        if let d = decimal, d != ".", d != "," { throw ValidationError("--decimal must be '.' or ',', not '\(d)'") }
        if !header, columns == nil {
            throw ValidationError("--no-header needs --columns naming the file's columns in order, e.g. --columns customer_id,date,quantity,amount")
        }
        if header, columns != nil { throw ValidationError("--columns names the columns of a file without a header; add --no-header") }
        if let names = format.columns, names.contains("") || Set(names).count != names.count {
            throw ValidationError("--columns must name each column once, none empty (got '\(columns!)')")
        }
        guard name.range(of: "^[A-Za-z][A-Za-z0-9_.-]*$", options: .regularExpression) != nil else {
            throw ValidationError("dataset name '\(name)' must start with a letter and use only letters, digits, '_', '-', '.'")
        }
    }

    func run() throws {
        Interruption.shared.install(workspace: workspace)   // SIGINT/SIGTERM: remove a snapshot copy in progress
        let ws = try Workspace.open(workspace)
        let history = try History(workspace: ws, create: true)
        let lock = try history.store.lockForWriting(command: "seg import \(name) \(file)")
        defer { lock.release() }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw DataError(file: file, line: nil, message: "cannot be read; check the path")
        }
        let progress = ReadProgress.forTerminal(quiet: quiet)
        defer { progress?.finish() }
        let (v, isNew) = try history.store.importDataset(name: name, file: URL(fileURLWithPath: file),
                                                          replaceInvalidUTF8: invalidUTF8 == "replace", format: format,
                                                          oneColumn: oneColumn, progress: progress)
        progress?.finish()
        let what = "\(name) \(v.sha256.prefix(12)) (\(v.rows.map { "\($0) rows, " } ?? "")\(v.bytes) bytes)"
        print(isNew ? "imported \(what)" : "unchanged: \(what) is already the imported version of \(name); nothing to do")
    }
}

/// `seg versions WORKSPACE`
struct VersionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List the stored segment versions.")
    @Argument(help: "The workspace folder.") var workspace: String
    @Option(help: "Only versions of this definition.") var definition: String?

    func run() throws {
        let ws = try Workspace.open(workspace)
        // A workspace that was never run has no store yet: that is an empty history, not an error.
        if !FileManager.default.fileExists(atPath: ws.root.appendingPathComponent(".seg").path) {
            print("no versions yet; `seg run \(workspace)` makes one"); return
        }
        let history = try History(workspace: ws, create: false)
        let versions = try history.store.versionSummaries(definition: definition)
        if versions.isEmpty {
            print(definition.map { "no versions of '\($0)' yet" } ?? "no versions yet", terminator: "")
            print("; `seg run \(workspace)\(definition.map { " \($0)" } ?? "")` makes one")
            return
        }
        var rows = [["VERSION", "CREATED", "DEFINITION", "AS OF", "RUN", "INPUTS", "SEGMENTS", "CUSTOMERS", "GATES"]]
        var firstOfRun: [String: String] = [:], repeats: [String] = [], erasedNotes: [String] = []
        var standings: [Int: History.Standing] = [:]
        for name in Set(versions.map(\.definition)) {
            for s in try history.standings(of: name) { standings[s.number] = s }
        }
        for v in versions {
            let inputs = v.inputs.map { "\($0.name)@\($0.sha256.prefix(8))" }.joined(separator: " ")
            rows.append([v.id, v.createdAt, v.definition, v.asOf, v.runID, inputs, String(v.segments), String(v.customers),
                         standings[v.number]?.label ?? "-"])
            let erasures = try history.store.erasures(affecting: v.number)
            if !erasures.isEmpty {
                // Its membership no longer is what its inputs gave: not "the same run" as anything.
                erasedNotes.append("\(v.id) was changed by \(erasures.map(\.id).joined(separator: ", ")) (seg forget): customers were removed from it")
                continue
            }
            let key = v.definition + "\n" + v.runID
            if let first = firstOfRun[key] { repeats.append("\(v.id) is the same run as \(first) (run \(v.runID): same inputs, same output)") }
            else { firstOfRun[key] = v.id }
        }
        print(TextTable.render(rows))
        if !repeats.isEmpty || !erasedNotes.isEmpty { print("\n" + (repeats + erasedNotes).joined(separator: "\n")) }
    }
}

/// `seg show WORKSPACE VERSION`
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a stored version: what it was made from and its segments.")
    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "Version: v3, 3, a run id (prefix), latest, latest:<definition> or previous:<definition>.") var version: String

    func run() throws {
        let history = try History(workspace: try Workspace.open(workspace), create: false)
        let v = try history.store.version(version)
        let report = try History.report(of: v)
        print("\(v.id)  \(TerminalText.cell(v.definition))  created \(v.createdAt)  Segwork \(v.segworkVersion)")
        print("  definition sha256 \(v.definitionSHA256)")
        print("  reference date \(v.asOf), seed \(v.seed), clock \(v.frozenTime)")
        // Names, files and versions come from definitions and plugins: shown through the one sanitiser.
        let t = TerminalText.cell
        for i in v.inputs { print("  input  \(t(i.name)): \(t(i.file)) sha256 \(i.sha256) (\(i.rows) rows)") }
        for p in v.plugins { print("  plugin \(t(p.name)) \(t(p.version)) (\(t(p.kind))) sha256 \(p.sha256)") }
        for e in try history.store.erasures(affecting: v.number) {
            print("  changed by \(e.id) of \(e.startedAt): customers removed from its membership and inputs; profiles as computed")
        }
        print(RunSummary.text(report: report, scoreColumns: History.scoreColumns(of: v), version: v.id, destination: nil))
    }
}

/// `seg export WORKSPACE VERSION`
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every file of a stored version again: profiles, report, membership, cleaning report and rejects.",
        discussion: "Writes to exports/<definition>/<run id>/ (or --out) atomically; the bytes equal the original run's, also after exports/ was deleted. cleaning.json and rejects.csv come with every format. Hashing ids of a version that was run without hashing writes to exports/<definition>/<run id>-hashed-ids/ instead.")
    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "Version: v3, 3, a run id (prefix), latest, latest:<definition> or previous:<definition>.") var version: String
    @Option(name: .customLong("format"), parsing: .upToNextOption, help: "json, csv, md, html (default: all four).")
    var formats: [String] = []
    @Option(help: "Folder to write to (default: exports/<definition>/<run id>).") var out: String?
    @Flag(name: .customLong("hash-ids"), help: "Hash customer ids in membership.csv (always done when the version was run with hashed ids or workspace.yaml sets privacy.hash_ids).")
    var hashIDs = false

    func run() throws {
        let ws = try Workspace.open(workspace)
        let history = try History(workspace: ws, create: false)
        let wanted = try formatList(formats)
        let v = try history.store.version(version)
        let (dir, files) = try history.export(v, formats: wanted.compactMap(ExportFormat.init(rawValue:)), hashIDs: hashIDs,
                                              to: out.map { URL(fileURLWithPath: $0) })
        print("wrote \(files.joined(separator: ", ")) of \(v.id) to \(ws.display(dir))")
        if !VersionStore.keepsFiles(v.segworkVersion) {
            print("note: \(v.id) was recorded by Segwork \(TerminalText.cell(v.segworkVersion)): profiles.json and membership.csv are its stored bytes; profiles.csv, profiles.md and report.html are written in this Segwork's formats (export format \(ProfileReport.currentFormatVersion)); its cleaning report, rejects and chart data were not kept (re-running the definition recreates them)")
        }
    }
}

/// `seg report WORKSPACE VERSION`
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a stored version's report.html (and report-data.json) again, from the store.",
        discussion: "The same bytes the run wrote, also after exports/ was deleted. Writes to exports/<definition>/<run id>/ (or --out); other files there are kept. `seg export --format html` does the same.")
    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "Version: v3, 3, a run id (prefix), latest, latest:<definition> or previous:<definition>.") var version: String
    @Option(help: "Folder to write to (default: exports/<definition>/<run id>).") var out: String?

    func run() throws {
        let ws = try Workspace.open(workspace)
        let history = try History(workspace: ws, create: false)
        let v = try history.store.version(version)
        let (dir, _) = try history.export(v, formats: [.html], hashIDs: false, to: out.map { URL(fileURLWithPath: $0) }, withData: false)
        print("wrote report.html of \(v.id) to \(ws.display(dir))")
        if try history.store.files(of: v)["report-data.json"] == nil {
            print("note: \(v.id) was recorded by Segwork \(TerminalText.cell(v.segworkVersion)), which kept no chart data; the charts that need the customers' rows say so. Re-run the definition to get them.")
        }
    }
}

/// `seg diff WORKSPACE V1 V2`
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two versions of one definition: migration matrix, size changes, input changes.",
        discussion: "Prints a summary that fits the terminal (COLUMNS, else the terminal's width, else 100 columns) and writes diff.json, diff.csv, diff.md and diff.html, which hold the full matrix, to exports/<definition>/diffs/<v1>-<v2>/ (or --out).")
    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "The earlier version.") var from: String
    @Argument(help: "The later version.") var to: String
    @Flag(help: "List every customer who moved (in the files; the terminal shows the first 20).") var customers = false
    @Option(name: .customLong("format"), parsing: .upToNextOption, help: "json, csv, md, html (default: all four).")
    var formats: [String] = []
    @Option(help: "Folder to write to.") var out: String?
    @Flag(name: .customLong("hash-ids"), help: "Hash the ids of movers (always done when either version was run with hashed ids or workspace.yaml sets privacy.hash_ids).")
    var hashIDs = false

    func run() throws {
        let ws = try Workspace.open(workspace)
        let history = try History(workspace: ws, create: false)
        let wanted = try formatList(formats)
        let (a, b) = (try history.store.version(from), try history.store.version(to))
        var d = try DiffEngine.diff(from: a, to: b, includeMovers: customers)
        if let hasher = try history.exportHasher(for: [a, b], requested: hashIDs) { d = hasher.hashMovers(d) }
        let files = DiffExporter.files(d, formats: wanted.isEmpty ? ExportFormat.allCases : wanted.compactMap(ExportFormat.init(rawValue:)))
        let dir = out.map { URL(fileURLWithPath: $0) }
            ?? ws.exportDirectory(definition: a.definition, folder: "diffs/\(a.id)-\(b.id)")
        // The summary first: a workspace that cannot be written to still shows the diff.
        let width = TerminalWidth.detect()
        print(DiffExporter.text(d, width: width), terminator: "")
        for line in DiffExporter.moverLines(d, shown: 20, width: width) { print(line) }
        try AtomicWriter.writeDirectory(files, to: dir, within: out == nil ? ws.root : nil)
        // Wrapped to the width like the summary; the folder is never split, so it can be copied.
        let wrote = "wrote \(files.keys.sorted().joined(separator: ", ")) to \(ws.display(dir))"
        for line in TerminalColumns.wrap(wrote, to: max(width, DiffExporter.minimumWidth), splitWords: false) { print(line) }
    }
}

/// `seg check WORKSPACE [VERSION]`
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the gates of stored versions (default: the latest of each definition).",
        discussion: "Evaluates the gates stored with each version (its definition as it was). Exit status 3 when a gate fails. With --ci (or CI=true) prints the results as JSON; --store verifies the whole store first.")
    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "A version to check (default: the latest version of every definition).") var version: String?
    @Flag(help: "Print JSON (also when CI=true).") var ci = false
    @Flag(help: "Also verify the whole store first: every row's and blob's checksum, every snapshot's hash (reads everything).")
    var store = false

    private var headless: Bool {
        ci || Headless.requested()
    }

    func run() throws {
        var runs: [CISummary.Run] = []
        do {
            let failed = try check(&runs)
            let status: ExitStatus = failed ? .gateFailed : .ok
            if headless { FileHandle.standardOutput.write(CISummary(status: status.rawValue, error: nil, runs: runs).json()) }
            if failed { throw ExitCode(status.rawValue) }
        } catch let error as SegworkError where headless {
            // Headless callers parse stdout: a failure is a summary too (ok false, the status, the message).
            FileHandle.standardOutput.write(CISummary(status: error.exitStatus.rawValue, error: ExitStatus.message(for: error),
                                                      runs: runs).json())
            throw error
        }
    }

    /// Checks the targets' gates (printing them unless headless); true when a gate failed.
    private func check(_ runs: inout [CISummary.Run]) throws -> Bool {
        let history = try History(workspace: try Workspace.open(workspace), create: false)
        try history.requireCompleteErasures(workspace: workspace)
        // The workspace's plugins against plugins.lock: refused headless (CI), a warning otherwise.
        if FileManager.default.fileExists(atPath: history.workspace.root.appendingPathComponent(PluginLock.fileName).path) {
            printWarnings(try PluginLock.enforce(history.workspace, definitions: try history.workspace.definitions(named: []), strict: headless))
        }
        if store {
            let r = try history.store.verifyIntegrity()
            if !headless {
                print("store ok: \(r.versions) versions, \(r.datasets) dataset versions, \(r.snapshots) snapshots and \(r.pluginSources) plugin sources verified")
            }
        }
        var targets: [VersionRecord]
        if let version {
            targets = [try history.store.version(version)]
        } else {
            // The latest version of each definition, loaded one at a time (not the whole history).
            targets = try history.store.definitionNames().sorted().map { try history.store.version("latest:\($0)") }
        }
        if targets.isEmpty { throw NoVersions(workspace: workspace) }
        var failed = false
        for v in targets {
            let check = try history.checkGates(v), gates = check.results
            failed = failed || check.failed
            runs.append(CISummary.Run(version: v, report: try History.report(of: v), exports: "", drift: check.drift, gates: gates,
                                      baseline: check.baseline, approved: check.approvedAt != nil))
            if !headless {
                let approved = check.approvedAt.map { "; approved at \($0)" + (check.failures.isEmpty ? "" : ", failures accepted") } ?? ""
                print("\(v.id)  \(v.definition)  \(gates.isEmpty ? "no gates" : "\(gates.filter(\.passed).count)/\(gates.count) gates passed")\(approved)")
                for g in gates { print("  \(g.passed ? "ok    " : "FAILED") \(g.message)") }
            }
        }
        return failed
    }

    /// The workspace has a store but no version in it.
    struct NoVersions: SegworkError, CustomStringConvertible {
        var workspace: String
        var description: String { "no versions to check; run `seg run \(workspace)` first" }
        /// Nothing to check is a usage error: the workspace has not been run yet.
        var exitStatus: ExitStatus { .usage }
    }
}

/// `--format` values (comma-separated or repeated) checked against json, csv, md and html; no `--format` means all
/// four, an empty one (`--format ''`, `json,`) is refused.
func formatList(_ formats: [String]) throws -> [String] {
    let wanted = formats.flatMap {
        $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
    if wanted.contains("") { throw ValidationError("--format needs a format: json, csv, md or html") }
    for f in wanted where ExportFormat(rawValue: f) == nil {
        throw ValidationError("--format '\(f)' is not a format; use json, csv, md or html")
    }
    return wanted
}
