import ArgumentParser
import Foundation
import LuaHost
import SegworkCore
import SegworkData

/// `seg try WORKSPACE DEFINITION [--limit N] [--sample N] [--json]`
struct TryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "try",
        abstract: "Evaluate a definition on its data without storing a version or writing exports.",
        discussion: """
        Prints the segment counts and shares (like `seg run`), a few example rows per segment (the customer id, the \
        columns the criteria read and the scores; the first rows of each segment in population order; columns \
        tagged pii show as (pii)) and the rule-set notes. Nothing is written: no version, no exports, no lock.

        --limit N keeps only the first N customers of the population file: joins, features, prepare and the plugins \
        see only them, so counts, shares and quantile breakpoints can differ from a full run (the output says so).

        Exit status: 0 success; 1 the run failed; 2 bad usage or a bad definition.
        """
    )

    @Argument(help: "The workspace folder.")
    var workspace: String

    @Argument(help: "The definition to try, by name.")
    var definition: String

    @Option(help: "Only the first N customers of the population.")
    var limit: Int?

    @Option(help: "Example rows per segment (default 3; 0 for none).")
    var sample = 3

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more (got \(limit))") }
        if sample < 0 { throw ValidationError("--sample must be 0 or more (got \(sample))") }
    }

    func run() throws {
        let ws = try Workspace.open(workspace)
        // A try stores nothing, so a plugin that differs from plugins.lock is only worth a warning, even under CI.
        printWarnings(try PluginLock.enforce(ws, definitions: try ws.definitions(named: [definition]), strict: false))
        let trial = try DefinitionTrial.run(ws, definition: definition, limit: limit, sample: sample)
        if json {
            FileHandle.standardOutput.write(try trial.json())
        } else {
            print(trial.text(workspace: ws))
        }
    }
}
