import Foundation
import SegworkData

/// A problem with a workspace or a segmentation definition: a YAML file that does not parse, a field that is
/// missing or wrong, a plugin or column it names that does not exist. Names the file, the line when known,
/// and what to do.
public struct DefinitionError: SegworkError, CustomStringConvertible, Equatable {
    /// The file at fault (a definition, `workspace.yaml`, …), as given.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known (YAML syntax errors).
    public var column: Int?
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// `file:line: message`, or `file:line:column: message` when the column is known.
    public var description: String {
        if let line, let column { return "\(file):\(line):\(column): \(message)" }
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
    /// A bad definition or workspace is a usage error.
    public var exitStatus: ExitStatus { .usage }
}
