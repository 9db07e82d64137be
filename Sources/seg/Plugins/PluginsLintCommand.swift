import ArgumentParser
import Foundation
import SegworkCore
import SegworkData

/// `seg plugins lint [TARGET…] [--strict] [--json]`
struct PluginsLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check plugins: contract, globals written, row reads missing from uses, unused params, label spelling, rule sets.",
        discussion: """
        TARGET is a folder (a workspace, or a plugin library: library.yaml or criteria/, scorers/, sources/, \
        cleaners/) or a plugin name; at most one folder (default: the current folder). An argument is a folder \
        when it contains / or is an existing directory. With a workspace and no names, every definition is also \
        run (nothing is written) for the rule-set checks.

        Lua-level warnings come from luacheck (Debian package lua-check) with the sandbox's globals; without it \
        they are skipped and the contract checks still run.

        Exit status: 0 no errors (warnings do not fail unless --strict); 1 errors found; 2 bad usage.
        """
    )

    @Argument(help: "A workspace or library folder, and/or plugin names.")
    var targets: [String] = []

    @Flag(help: "Warnings fail too (exit 1).")
    var strict = false

    @Flag(help: "Print the findings as JSON.")
    var json = false

    func run() throws {
        let (folder, names) = try PluginScope.targets(targets)
        let lint = try PluginLint(try PluginScope.open(folder), names: names)
        if !lint.luacheckRan {
            FileHandle.standardError.write(Data("luacheck not found: Lua-level checks skipped; install lua-check\n".utf8))
        }
        if json { FileHandle.standardOutput.write(try lint.json()) } else { print(lint.text()) }
        if lint.errors > 0 || (strict && lint.warnings > 0) { throw ExitCode(ExitStatus.runFailed.rawValue) }
        // Strict means every check ran: without luacheck, globals written and other Lua-level problems went unseen.
        if strict && !lint.luacheckRan {
            FileHandle.standardError.write(Data("seg: error: --strict needs luacheck for the Lua-level checks (globals written, unused variables); install lua-check (scripts/ensure-deps does)\n".utf8))
            throw ExitCode(ExitStatus.runFailed.rawValue)
        }
    }
}
