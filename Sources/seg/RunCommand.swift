import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg run WORKSPACE [DEFINITION…]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run segmentation definitions: store each run as a version, write its exports, check its gates.",
        discussion: """
        Runs every definition in WORKSPACE/segmentations/ (or only those named). All of them are computed before \
        anything is written; then each becomes an immutable version in WORKSPACE/.seg/ (see `seg versions`) and \
        its files are written atomically to exports/<definition>/<run id>/. The run id is a hash of everything \
        that decides the output, so the same inputs give the same folder and the same bytes. Gates declared in a \
        definition are checked after its run; a failed gate makes the exit status 3.

        On a terminal, a progress line on standard error shows the phase, rows read and the rate; --quiet, --ci, \
        CI=true or a standard error that is not a terminal turn it off.

        With --ci (or when the environment has CI=true): no progress or tables, a JSON summary on stdout (or in \
        --summary FILE), and the documented exit statuses.
        """
    )

    @Argument(help: "The workspace folder.")
    var workspace: String

    @Argument(help: "Definitions to run, by name (default: all).")
    var definitions: [String] = []

    @Option(name: .customLong("as-of"), help: "Reference date YYYY-MM-DD (default: the definition's as_of, else the latest transaction date).")
    var asOf: String?

    @Option(name: .customLong("format"), parsing: .upToNextOption,
            help: "Formats to write: json, csv, md, html (comma-separated or repeated; default: the definition's exports). membership.csv is always written.")
    var formats: [String] = []

    @Option(help: "Re-execute a stored version (id, run id or 'latest') and report whether it comes out byte-identical.")
    var verify: String?

    @Flag(name: .customLong("hash-ids"),
          help: "Replace customer ids in membership.csv with salted hashes (salt from the environment variable named by workspace.yaml privacy.salt_env, default SEG_ID_SALT).")
    var hashIDs = false

    @Flag(help: "Headless: no tables, a JSON summary on stdout (also when CI=true).")
    var ci = false

    @Option(help: "Write the JSON summary to this file instead of stdout (implies --ci).")
    var summary: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors (no progress line either; there is none when CI=true or standard error is not a terminal).")
    var quiet = false

    @Flag(help: "Print one 'timing' line per phase on standard error (wall and CPU seconds; rows, MB and MB/s for each file read), terminal or not; replaces the progress line.")
    var timings = false

    @Flag(help: "Print the SQL each PostgreSQL dataset would send (and whether RFM is pushed down), then stop; connects only to read column types.")
    var explain = false

    func validate() throws {
        if let asOf, CivilDate(iso: Substring(asOf)) == nil {
            throw ValidationError("--as-of must be a date written YYYY-MM-DD (got '\(asOf)')")
        }
        if formats.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--format needs a format: json, csv, md or html")
        }
        for f in parsedFormats() where ExportFormat(rawValue: f) == nil {
            throw ValidationError("--format '\(f)' is not a format; use json, csv, md or html")
        }
        if let summary, summary != "-" { try Self.checkSummaryPath(summary, workspace: workspace) }
        if verify != nil, !definitions.isEmpty || asOf != nil {
            throw ValidationError("--verify re-executes a stored version as it was; it takes no definitions or --as-of")
        }
    }

    private func parsedFormats() -> [String] {
        formats.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    private var headless: Bool {
        ci || summary != nil || Headless.requested()
    }

    func run() throws {
        var runs: [CISummary.Run] = []
        var message: String?
        do {
            let status = try execute(&runs, &message)
            if headless { try emit(CISummary(status: status.rawValue, error: message, runs: runs)) }
            if status != .ok { throw ExitCode(status.rawValue) }
        } catch let error as SegworkError {
            if headless {
                try? emit(CISummary(status: error.exitStatus.rawValue, error: ExitStatus.message(for: error), runs: runs))
            }
            throw error
        }
    }

    private func emit(_ s: CISummary) throws {
        if let summary, summary != "-" {
            do { try s.json().write(to: URL(fileURLWithPath: summary), options: .atomic) } catch {
                throw AtomicWriteError.io(operation: "write the summary", path: summary, message: (error as NSError).localizedFailureReason ?? "\(error)")
            }
        } else {
            FileHandle.standardOutput.write(s.json())
        }
    }

    /// The summary goes to a new or regular file whose folder exists, never into the workspace's own definitions,
    /// data, plugins or store (a typo there would destroy them), and never onto a device, pipe, folder or link.
    static func checkSummaryPath(_ summary: String, workspace: String) throws {
        let url = URL(fileURLWithPath: summary).standardizedFileURL
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("--summary \(summary): the folder \(dir) does not exist")
        }
        if let attrs = try? FileManager.default.attributesOfItem(atPath: url.path),
           attrs[.type] as? FileAttributeType != .typeRegular {
            throw ValidationError("--summary \(summary): exists and is not a regular file; give a new file's path (or - for stdout)")
        }
        let ws = URL(fileURLWithPath: workspace, isDirectory: true).standardizedFileURL.resolvingSymlinksInPath().path
        let target = URL(fileURLWithPath: dir, isDirectory: true).resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
        for protected in [".seg", "segmentations", "data", "plugins", "workspace.yaml"] {
            let p = ws + "/" + protected
            if target == p || target.hasPrefix(p + "/") {
                throw ValidationError("--summary \(summary): is inside the workspace's \(protected); write the summary elsewhere")
            }
        }
    }

    /// Runs, or verifies; `message` is set when `--verify` finds a difference (for the JSON summary).
    private func execute(_ runs: inout [CISummary.Run], _ message: inout String?) throws -> ExitStatus {
        Interruption.shared.install(workspace: workspace)   // SIGINT/SIGTERM: clean up, say what was kept, exit 130/143
        let ws = try Workspace.open(workspace)
        // Progress on standard error only on a terminal, and never headless or quiet; cleared before any other output.
        let progress = timings ? ReadProgress(timingsTo: ReadProgress.standardError)
            : headless ? nil : ReadProgress.forTerminal(quiet: quiet)
        defer { progress?.finish() }
        do { return try execute(runs: &runs, message: &message, workspace: ws, progress: progress) } catch {
            progress?.fail()
            throw error
        }
    }

    private func execute(runs: inout [CISummary.Run], message: inout String?, workspace ws: Workspace,
                         progress: ReadProgress?) throws -> ExitStatus {
        if explain {
            print(try PostgresExplain.text(ws, definitions: definitions, asOf: asOf.flatMap { CivilDate(iso: Substring($0)) }), terminator: "")
            return .ok
        }
        if let verify {
            // Re-executing writes nothing, so it takes no lock and works on a read-only workspace.
            return try runVerify(verify, try History(workspace: ws, create: false), progress, &message)
        }
        let outcomes = try History.run(ws, RunRequest(
            definitions: definitions, asOf: asOf.flatMap { CivilDate(iso: Substring($0)) },
            formats: parsedFormats().isEmpty ? nil : parsedFormats().compactMap(ExportFormat.init(rawValue:)),
            hashIDs: hashIDs, progress: progress,
            holder: "seg run " + CommandLine.arguments.dropFirst(2).joined(separator: " "), strictLock: headless))
        // A local run with plugins that differ from plugins.lock goes on, and says so whatever the output mode.
        printWarnings(Set(outcomes.flatMap(\.lockWarnings)).sorted())
        var status = ExitStatus.ok
        for outcome in outcomes {
            let (r, version, check, gates) = (outcome.result, outcome.version, outcome.gates, outcome.gates.results)
            if check.failed { status = .gateFailed }
            runs.append(CISummary.Run(version: version, report: r.report, exports: ws.display(r.exportDirectory),
                                      drift: check.drift, gates: gates, baseline: check.baseline, unchanged: !outcome.isNew,
                                      approved: check.approvedAt != nil))
            let accepted = check.approvedAt.map { " (accepted: \(version.id) was approved at \($0))" } ?? ""
            if headless || quiet {
                for g in check.failures { ReadProgress.writeStandardError("seg: gate failed\(accepted): \(g.message)\n") }
                continue
            }
            print(RunSummary.text(r, workspace: ws, version: outcome.isNew ? version.id : "unchanged: same as \(version.id)"))
            if let drift = check.drift, let baseline = check.baseline {
                print(String(format: "  drift since the baseline %@: %.1f%% of customers changed segment", baseline, drift * 100))
            }
            if !gates.isEmpty {
                let failed = check.failures
                print("  gates: \(gates.count - failed.count) of \(gates.count) passed" + (failed.isEmpty ? "" : "; FAILED\(accepted):"))
                for g in failed { print("    \(g.message)") }
            }
        }
        return status
    }

    /// Compares the plugins of `definitions` with plugins.lock: refused headless (CI), a warning otherwise.
    private func checkLock(_ ws: Workspace, _ definitions: [Definition]) throws {
        printWarnings(try PluginLock.enforce(ws, definitions: definitions, strict: headless))
    }

    private func runVerify(_ ref: String, _ history: History, _ progress: ReadProgress?,
                           _ message: inout String?) throws -> ExitStatus {
        let v = try history.store.version(ref)
        // Damaged snapshots or rows are named as such, not reported as a difference in the outputs.
        try history.store.verifyIntegrity()
        // The lock guards the workspace as it is now, so it is compared with today's definition of that name; the
        // version itself runs its stored sources, whatever today's files are (a plugin gone or bumped past an old pin
        // is no reason to refuse giving an old version back).
        _ = try PluginLock.read(history.workspace)  // a broken lock is an error here too
        if let today = try? history.workspace.definitions(named: [v.definition]) {
            do { try checkLock(history.workspace, today) } catch let error as LockMismatch { throw error } catch {
                printWarnings(["plugins.lock was not compared: today's definition '\(v.definition)' does not resolve its plugins (\(ExitStatus.message(for: error)))"])
            }
        }
        let result = try history.verify(v, progress: progress)
        if let note = result.erasureNote {
            if !headless && !quiet { print(note) }
            return .ok
        }
        if !headless && !quiet {
            print(result.identical ? "\(v.id) (\(v.definition), run \(v.runID)) reproduces byte for byte"
                                   : "\(v.id) (\(v.definition), run \(v.runID)) does NOT reproduce:")
            for d in result.differences { print("  \(d)") }
        }
        if !result.identical {
            message = "\(v.id) did not reproduce: \(result.differences.map(\.description).joined(separator: "; "))"
            ReadProgress.writeStandardError("seg: error: \(message!)\n")
            return .runFailed
        }
        return .ok
    }
}

