import Foundation
import CLuaSupport

/// What the watchdog saw: a call into `plugin` that made no progress (no Lua instruction, row, record
/// or line) for `stuckSeconds`, longer than its limit `limitSeconds`.
public struct WatchdogEvent: Sendable, Equatable {
    /// The plugin's name (its file name if it was stuck while loading).
    public var plugin: String
    /// The plugin's file.
    public var file: String
    /// How long the call has been stuck.
    public var stuckSeconds: Double
    /// The watchdog limit: `max(5 × limits.seconds, Plugin.watchdogMinimumSeconds)`.
    public var limitSeconds: Double
    /// The 0-based row of the stuck per-row call (`assign`, `score`, `clean`), when it was one.
    public var row: Int? = nil
    /// The 0-based record a source's `read` was producing when it got stuck, when it was one.
    public var record: Int? = nil
    /// Where the call was, for messages: what `Plugin.rowDescription` says for the row (e.g.
    /// ` for customer C7 (data/customers.csv, line 8)`), else ` for row 8`, ` while producing record 12 …`, or "".
    public var context: String = ""
}

/// Process-wide watchdog settings, behind a lock (the watchdog runs on its own thread).
private final class WatchdogSettings: @unchecked Sendable {
    static let shared = WatchdogSettings()
    private init() {}
    private let lock = NSLock()
    private var handlerValue: (@Sendable (WatchdogEvent) -> Void)?
    private var minimumValue: Double = 10
    var handler: (@Sendable (WatchdogEvent) -> Void)? {
        get { lock.lock(); defer { lock.unlock() }; return handlerValue }
        set { lock.lock(); handlerValue = newValue; lock.unlock() }
    }
    var minimum: Double {
        get { lock.lock(); defer { lock.unlock() }; return minimumValue }
        set { lock.lock(); minimumValue = newValue; lock.unlock() }
    }
    /// Installs the C-to-Swift trampoline once.
    let installed: Bool = {
        sw_set_watchdog_handler { plugin, file, context, row, record, stuck, limit in
            guard let handler = WatchdogSettings.shared.handler else { return 0 }
            handler(WatchdogEvent(plugin: plugin.map { String(cString: $0) } ?? "?",
                                  file: file.map { String(cString: $0) } ?? "?", stuckSeconds: stuck, limitSeconds: limit,
                                  row: row >= 0 ? Int(row) : nil, record: record >= 0 ? Int(record) : nil,
                                  context: context.map { String(cString: $0) } ?? ""))
            return 1
        }
        sw_set_watchdog_context { logContext, row, out, capacity in
            guard let logContext, let out, capacity > 0 else { return }
            let sink = Unmanaged<LogSink>.fromOpaque(logContext).takeUnretainedValue()
            guard let describe = sink.rowDescription else { return }
            // Cut on a character boundary so the C side never prints half a UTF-8 sequence.
            var bytes: [UInt8] = []
            for character in describe(Int(row)) {
                let utf8 = Array(String(character).utf8)
                if bytes.count + utf8.count >= capacity { break }
                bytes += utf8
            }
            bytes.withUnsafeBufferPointer { b in
                out.withMemoryRebound(to: UInt8.self, capacity: capacity) { o in
                    if let base = b.baseAddress { o.update(from: base, count: b.count) }
                    o[b.count] = 0
                }
            }
        }
        return true
    }()
}

extension Plugin {
    /// Describes a row for the watchdog's message when a per-row call (`assign`, `score`, `clean`) gets stuck on
    /// it, e.g. `{ " for customer \(ids[$0]) (data/customers.csv, line \($0 + 2))" }`; nil says ` for row N`.
    /// Set it before the rows run; it is called on the watchdog thread, with the 0-based row.
    public var rowDescription: (@Sendable (Int) -> String)? {
        get { state.sink.rowDescription }
        set { state.sink.rowDescription = newValue }
    }

    /// Replaces what happens when the watchdog finds a call stuck inside a single library call (where no
    /// instruction hook can fire, e.g. `string.find` with a pattern that backtracks exponentially).
    /// `nil` (the default) prints an error naming the plugin to standard error and ends the process with
    /// `_exit(1)`: such a call cannot be interrupted safely, and the CLI writes exports atomically, so no
    /// half-written file results. A replacement runs on the watchdog thread, once per stuck call; when it
    /// returns, the stuck call goes on.
    public static var watchdogHandler: (@Sendable (WatchdogEvent) -> Void)? {
        get { WatchdogSettings.shared.handler }
        set { WatchdogSettings.shared.handler = newValue }
    }

    /// The floor of the watchdog limit, in seconds (default 10). A plugin loaded afterwards gets the limit
    /// `max(5 × limits.seconds, watchdogMinimumSeconds)`.
    public static var watchdogMinimumSeconds: Double {
        get { WatchdogSettings.shared.minimum }
        set { WatchdogSettings.shared.minimum = newValue }
    }

    /// The watchdog limit for plugins loaded now with `limits`.
    static func watchdogLimit(for limits: LuaLimits) -> Double {
        _ = WatchdogSettings.shared.installed
        return max(5 * limits.seconds, watchdogMinimumSeconds)
    }
}
