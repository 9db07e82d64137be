import ArgumentParser
import Foundation
import SegworkCore
import SegworkData

/// `seg approve WORKSPACE VERSION`
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Accept a stored version despite failed gates, and make it the drift baseline of later runs.",
        discussion: """
        Records in the store that a person accepted VERSION: `seg check` and an unchanged re-run no longer fail \
        because of its gates, and later runs of its definition measure max_drift against it while it is the most \
        recent version that passed its gates or was approved. Approving is permanent and is itself recorded (time \
        and command). See docs/GATES.md.
        """
    )
    @Argument(help: "The workspace folder.") var workspace: String
    @Argument(help: "Version: v3, 3, a run id (prefix), latest, latest:<definition> or previous:<definition>.") var version: String

    func run() throws {
        let history = try History(workspace: try Workspace.open(workspace), create: false)
        let lock = try history.store.lockForWriting(command: "seg approve \(version)")
        defer { lock.release() }
        let v = try history.store.version(version)
        let (time, isNew) = try history.store.approve(v.number, command: "seg approve \(version)")
        let failures = try history.checkGates(v).failures
        let accepted = failures.isEmpty ? "all its gates passed" : "\(failures.count) failed gate\(failures.count == 1 ? "" : "s") accepted"
        print(isNew ? "approved \(v.id) (\(v.definition), run \(v.runID)): \(accepted); later runs of \(v.definition) measure drift against it"
                    : "\(v.id) (\(v.definition)) was already approved at \(time); nothing to do")
    }
}
