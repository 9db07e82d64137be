import ArgumentParser
import Foundation
import SegworkCore
import SegworkData

/// `seg plugins test [TARGET…] [--junit FILE] [--require-tests]`
struct PluginsTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run plugins' own tests (<name>.test.lua beside each plugin) in the real sandbox.",
        discussion: """
            TARGET is one folder (a workspace or a plugin library; default: the current folder) and/or plugin names. \
            Prints PASS or FAIL per case and a closing 'N passed, M failed' line; exits 1 when anything failed. \
            See docs/PLUGINS.md, "Testing plugins".
            """
    )

    @Argument(help: "A workspace or library folder (an argument with '/' or an existing folder), and/or plugin names.")
    var targets: [String] = []

    @Option(name: .customLong("junit"), help: "Also write a JUnit XML report to this file (for CI systems).")
    var junit: String?

    @Flag(name: .customLong("require-tests"), help: "Count a plugin without a test file as a failure.")
    var requireTests = false

    func run() throws {
        let chosen = try PluginTestTargets.resolve(targets)
        var suites: [PluginTestSuite] = []
        for plugin in chosen.plugins {
            let suite = chosen.runner.run(plugin)
            suites.append(suite)
            for line in PluginTestOutput.lines(suite, requireTests: requireTests) { print(line) }
        }
        if let junit {
            try PluginTestJUnit.write(suites, requireTests: requireTests, to: URL(fileURLWithPath: junit))
        }
        print(PluginTestOutput.summary(suites, requireTests: requireTests))
        if PluginTestOutput.failed(suites, requireTests: requireTests) > 0 {
            throw ExitCode(ExitStatus.runFailed.rawValue)
        }
    }
}
