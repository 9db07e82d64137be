import Foundation

/// A value computed on another thread while the caller does something else (hashing an input while it is
/// parsed). `value()` waits for it and rethrows its error.
package final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>?
    /// Touched by the caller only; `result` is read after the semaphore says it was written.
    private var waited = false

    /// Starts `work` on a global queue at once.
    package init(_ work: @escaping @Sendable () throws -> T) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    /// Waits for the value (once; later calls return it at once).
    package func value() throws -> T {
        if !waited { done.wait(); waited = true }
        return try result!.get()
    }
}
