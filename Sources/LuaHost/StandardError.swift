import Foundation

/// Writes text to standard error without buffering surprises.
enum FileHandleStandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
