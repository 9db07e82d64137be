import ArgumentParser

/// `seg plugins …`: the commands for plugin authors and teams sharing plugin libraries. Each subcommand lives in
/// its own file beside this one; `seg plugins WORKSPACE` is `seg plugins list WORKSPACE`.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List, inspect, test, lint and lock the plugins a workspace or library holds.",
        subcommands: [PluginsListCommand.self, PluginsInfoCommand.self, PluginsTestCommand.self, PluginsNewCommand.self, PluginsLockCommand.self,
                      PluginsLintCommand.self],
        defaultSubcommand: PluginsListCommand.self
    )
}
