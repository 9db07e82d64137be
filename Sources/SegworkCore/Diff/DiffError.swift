import Foundation
import SegworkData

/// Why two versions could not be compared.
public enum DiffError: SegworkError, CustomStringConvertible, Equatable {
    /// The versions belong to different definitions.
    case differentDefinitions(fromVersion: String, fromDefinition: String, toVersion: String, toDefinition: String)
    /// A version's membership bytes are not a membership CSV. `version` names the version (`v3`, or
    /// `membership` when the bytes came without a version), `line` counts from 1.
    case malformedMembership(version: String, line: Int, reason: String)
    /// A customer id appears twice in one membership.
    case duplicateCustomer(version: String, id: String, line: Int)
    /// A segment label in a membership is one of the labels the diff reserves for its own groups.
    case reservedLabel(version: String, label: String, line: Int)
    /// A `LabelMatcher` mapped two labels of the newer version onto one label, or used a reserved label.
    case invalidLabelMatch(reason: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .differentDefinitions(fv, fd, tv, td):
            return "\(fv) is a version of definition '\(fd)' but \(tv) is a version of '\(td)'; a diff compares "
                + "two versions of one definition (list them with `seg versions DIR --definition \(fd)`)"
        case let .malformedMembership(v, line, reason):
            return "the stored membership of \(v) is damaged at line \(line): \(reason); the version store may "
                + "have been edited by hand: re-run the definition to store a fresh version"
        case let .duplicateCustomer(v, id, line):
            return "the stored membership of \(v) lists customer '\(id)' twice (again at line \(line)); customer "
                + "ids are unique in a run, so the store was changed outside Segwork: re-run the definition"
        case let .reservedLabel(v, label, line):
            return "the membership of \(v) has a segment named '\(label)' (line \(line)); diffs use that name for "
                + "their own group: rename the segment in the criterion that produces it and run again"
        case .invalidLabelMatch(let reason):
            return "the label matcher gave an unusable mapping: \(reason)"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
    /// Comparing versions of two definitions is a usage error; damaged membership fails the command.
    public var exitStatus: ExitStatus {
        if case .differentDefinitions = self { return .usage }
        return .runFailed
    }
}
