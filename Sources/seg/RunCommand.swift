import ArgumentParser
import Foundation
import SegworkCore

/// `seg run WORKSPACE [DEFINITION…]`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run segmentation definitions and write their profiles and membership.",
        discussion: """
        Runs every definition in WORKSPACE/segmentations/ (or only those named), computing all of them before \
        writing anything, then writes each one's files atomically to exports/<definition>/<run id>/. The run id \
        is a hash of everything that decides the output, so the same inputs give the same folder and the same \
        bytes. A summary table is printed for each definition.
        """
    )

    @Argument(help: "The workspace folder.")
    var workspace: String

    @Argument(help: "Definitions to run, by name (default: all).")
    var definitions: [String] = []

    @Option(name: .customLong("as-of"), help: "Reference date YYYY-MM-DD (default: the definition's as_of, else the latest transaction date).")
    var asOf: String?

    @Option(name: .customLong("format"), parsing: .upToNextOption,
            help: "Profile formats to write: json, csv, md (comma-separated or repeated; default: the definition's exports). membership.csv is always written.")
    var formats: [String] = []

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let asOf, CivilDate(iso: Substring(asOf)) == nil {
            throw ValidationError("--as-of must be a date written YYYY-MM-DD (got '\(asOf)')")
        }
        for f in parsedFormats() where ExportFormat(rawValue: f) == nil {
            throw ValidationError("--format '\(f)' is not a format; use json, csv or md")
        }
    }

    private func parsedFormats() -> [String] {
        formats.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func run() throws {
        let ws = try Workspace.open(workspace)
        let runner = Runner(workspace: ws)
        let defs = try ws.definitions(named: definitions)
        let fs = parsedFormats()
        let options = RunOptions(asOf: asOf.flatMap { CivilDate(iso: Substring($0)) },
                                 formats: fs.isEmpty ? nil : fs.compactMap(ExportFormat.init(rawValue:)))
        // Compute everything first: a failure in any definition writes nothing at all.
        let results = try defs.map { try runner.run($0, options: options) }
        for r in results {
            try runner.write(r)
            if !quiet { print(RunSummary.text(r, workspace: ws)) }
        }
    }
}
