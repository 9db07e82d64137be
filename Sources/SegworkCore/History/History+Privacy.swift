import Foundation
import SegworkData

extension History {
    /// The hasher for re-exporting `versions` (`seg export`, `seg diff`): ids are hashed when asked for
    /// (`--hash-ids`), when the workspace sets `hash_ids: true`, or when any of the versions was run with hashed
    /// ids. nil when none of these holds; an error when hashing is needed and the salt is not set.
    public func exportHasher(for versions: [VersionRecord], requested: Bool) throws -> IDHasher? {
        var hash = requested || workspace.privacy.hashIDs
        for v in versions where !hash { hash = try Self.report(of: v).run.privacy?.hashedIDs ?? false }
        return hash ? try workspace.privacy.hasher(file: workspace.configDisplay) : nil
    }
}

extension History {
    /// Throws `.erasureIncomplete` when an erasure (`seg forget`) was interrupted, so `seg check` says so.
    /// `workspace` is the path as the user gave it, for the advice.
    public func requireCompleteErasures(workspace: String) throws {
        let pending = try store.incompleteErasures()
        if !pending.isEmpty {
            throw StoreError.erasureIncomplete(erasures: pending.map { "\($0.id) (started \($0.startedAt))" }, workspace: workspace)
        }
    }
}
