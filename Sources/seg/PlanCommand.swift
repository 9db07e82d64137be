import ArgumentParser
import Foundation
import SegworkCore
import SegworkData

/// `seg plan WORKSPACE DEFINITION --out plan.seg [--stats stats.json] [--as-of DATE]`
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Freeze what labelling and scoring one customer needs into a plan file for `seg apply`.",
        discussion: """
        The plan (JSON, format 1) holds the definition, every scorer's and criterion's source and the modules it \
        requires, the statistics their prepare saw and their parameters afterwards, the input columns seg apply \
        expects, the reference date, and where the statistics came from (docs/SCALE.md).

        Without --stats the statistics come from a local run of the definition on the workspace's data, as \
        `seg try` runs it: nothing is stored and no export is written. With --stats they come from a statistics \
        file a distributed engine computed (format 1, docs/SCALE.md); no data is read then.

        The built-in features (rfm, days_since) are not part of the plan: the engine computes them, and seg apply \
        reads them as input columns. Definitions with features.clusters are refused.

        Exit status: 0 success; 1 the local run failed; 2 bad usage, a bad definition or statistics file.
        """
    )

    @Argument(help: "The workspace folder.")
    var workspace: String

    @Argument(help: "The definition, by name.")
    var definition: String

    @Option(help: "Where to write the plan (e.g. plan.seg).")
    var out: String

    @Option(help: "A statistics file (docs/SCALE.md) instead of a local run.")
    var stats: String?

    @Option(name: .customLong("as-of"), help: "The reference date (YYYY-MM-DD).")
    var asOf: String?

    func validate() throws {
        if let asOf, CivilDate(iso: Substring(asOf)) == nil {
            throw ValidationError("--as-of must be a date written YYYY-MM-DD (got '\(asOf)')")
        }
    }

    func run() throws {
        let ws = try Workspace.open(workspace)
        let statistics: PlanBuilder.Statistics
        if let stats {
            guard let data = FileManager.default.contents(atPath: stats) else {
                throw PlanError.badStats(file: stats, field: "(file)", detail: "cannot be read; check the path")
            }
            statistics = .file(try PlanStatsFile.read(data, file: stats), file: stats)
        } else {
            statistics = .localRun
        }
        let plan = try PlanBuilder.make(ws, definition: definition, statistics: statistics,
                                        asOf: asOf.flatMap { CivilDate(iso: Substring($0)) })
        do { try plan.json.write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
            throw PlanError.badPlan(file: out, detail: "cannot be written (\(error.localizedDescription))")
        }
        let s = plan.statistics
        let quantiles = s.quantiles + (s.relativeError.map { " (relative error \($0))" } ?? "")
        FileHandle.standardError.write(Data("seg plan: wrote \(out): \(plan.definition), \(plan.scorers.count) scorer(s), \(plan.criteria.count) criteria, statistics from \(s.source) over \(s.rows) customers, \(quantiles) quantiles, as of \(plan.asOf)\n".utf8))
    }
}

/// `seg apply PLAN [--format csv|jsonl] [--out FILE]`
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Label and score customer rows from standard input with a plan made by `seg plan`.",
        discussion: """
        Reads rows (CSV with a header line, or JSON Lines) from standard input and writes one output row per \
        input row: the id, segment, the criterion columns, the scores (membership.csv's columns for the same \
        definition). Rows are processed in chunks (--chunk-rows, default 65536) and each chunk's output is written \
        as soon as it is computed, so seg apply can run as a long-lived process in a pipe, in bounded memory.

        The plan's inputs are listed in the plan ("inputs"): the id and every column a scorer or criterion reads.

        Exit status: 0 success; 1 a bad input row (named by its line on standard input) or a plugin error; \
        2 bad usage or a bad plan (including one of a newer format).
        """
    )

    @Argument(help: "The plan file (from seg plan).")
    var plan: String

    @Option(help: "The input and output format: csv or jsonl.")
    var format: String = "csv"

    @Option(help: "Write the output to this file instead of standard output.")
    var out: String?

    @Option(name: .customLong("chunk-rows"), help: "Rows per chunk (default 65536).")
    var chunkRows = 65_536

    func validate() throws {
        if PlanApplier.Format(rawValue: format) == nil { throw ValidationError("--format must be csv or jsonl (got '\(format)')") }
        if chunkRows < 1 { throw ValidationError("--chunk-rows must be 1 or more (got \(chunkRows))") }
    }

    func run() throws {
        // SIGINT/SIGTERM/SIGHUP remove the plan's temporary folder; a reader that goes away (`| head`) is EPIPE on
        // a write, not a SIGPIPE that would end the process before it cleans up.
        Interruption.shared.install(workspace: "-")
        signal(SIGPIPE, SIG_IGN)
        guard let data = FileManager.default.contents(atPath: plan) else {
            throw PlanError.badPlan(file: plan, detail: "cannot be read; check the path")
        }
        let applier = try PlanApplier(plan: try SegmentPlan.read(data, file: plan), file: plan)
        let output: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let h = FileHandle(forWritingAtPath: out) else {
                throw PlanError.badPlan(file: out, detail: "cannot be written; check the path")
            }
            output = h
        } else {
            output = FileHandle.standardOutput
        }
        do {
            try applier.apply(fd: 0, format: PlanApplier.Format(rawValue: format)!, chunkRows: chunkRows) { try output.write(contentsOf: $0) }
        } catch let error as NSError where Self.brokenPipe(error) {
            // The reader closed the pipe: stop quietly, as a filter does, with the status a SIGPIPE would give.
            throw ExitCode(141)
        }
        if out != nil { try output.close() }
    }

    /// EPIPE, as Foundation reports a write to a closed pipe (a Cocoa write error around the POSIX one).
    static func brokenPipe(_ error: NSError) -> Bool {
        if error.domain == NSPOSIXErrorDomain && error.code == Int(EPIPE) { return true }
        return (error.userInfo[NSUnderlyingErrorKey] as? NSError).map(brokenPipe) ?? false
    }
}
