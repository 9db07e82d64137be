import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress display for a terminal's standard error: the current phase of a run ("reading
/// data/transactions.csv 45% 4.5 M rows 1.2 M rows/s", "running criterion rfm", "writing exports"), rewritten in
/// place with a carriage return at most every `interval` seconds. Readers call `advance(bytes:rows:)` per chunk,
/// from any thread. A phase that took `keepAfter` seconds or more leaves a final line; shorter ones are cleared.
///
/// Create one only when `shouldShow` says so (`forTerminal` does both); code that reads or runs takes an optional
/// reporter and does nothing when it is nil.
public final class ReadProgress: @unchecked Sendable {
    /// Where text goes: standard error, or a test's buffer.
    public typealias Sink = @Sendable (String) -> Void
    /// Seconds on a monotonic clock.
    public typealias Clock = @Sendable () -> Double

    private let lock = NSLock()
    private let sink: Sink
    private let clock: Clock
    private let interval: Double
    private let keepAfter: Double
    /// `--timings`: no redrawn line; every phase ends with a `timing` line (see `timing(...)`).
    private let timings: Bool

    private var phase: String?
    private var totalBytes: Int?
    private var bytes = 0
    private var rows = 0
    private var started = 0.0
    private var startedCPU = 0.0
    private var failing = false
    private var lastDraw = 0.0
    private var lineShown = false

    /// A reporter writing to `sink`, timing with `clock`, redrawing at most every `interval` seconds.
    public init(sink: @escaping Sink = ReadProgress.standardError, clock: @escaping Clock = ReadProgress.uptime,
                interval: Double = 0.1, keepAfter: Double = 1) {
        self.sink = sink; self.clock = clock; self.interval = interval; self.keepAfter = keepAfter; timings = false
    }

    /// A reporter for `seg run --timings`: nothing is redrawn, and every phase, however short, ends with one line
    /// (see `timing(phase:seconds:cpu:rows:bytes:)`), on a terminal or not, so that benchmarks and CI logs can see
    /// where the time goes.
    public init(timingsTo sink: @escaping Sink = ReadProgress.standardError, clock: @escaping Clock = ReadProgress.uptime) {
        self.sink = sink; self.clock = clock; interval = .infinity; keepAfter = 0; timings = true
    }

    /// User plus system CPU seconds of the whole process so far (all threads).
    public static func processCPU() -> Double { usage().cpu }

    /// The process's CPU seconds (user plus system, all threads) and peak resident memory in bytes so far.
    public static func usage() -> (cpu: Double, peakRSS: Int) {
        #if canImport(Glibc)
        let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let RUSAGE_SELF_WHO = RUSAGE_SELF
        #endif
        var usage = rusage()
        guard getrusage(RUSAGE_SELF_WHO, &usage) == 0 else { return (0, 0) }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        #if canImport(Darwin)
        let peak = Int(usage.ru_maxrss)          // bytes on Darwin
        #else
        let peak = Int(usage.ru_maxrss) * 1024   // kilobytes on Linux
        #endif
        return (seconds(usage.ru_utime) + seconds(usage.ru_stime), peak)
    }

    /// Writes to the process's standard error; a closed or broken standard error loses the text, never the run
    /// (FileHandle traps on a failed write).
    public static let standardError: Sink = { writeStandardError($0) }

    /// Writes `text` to file descriptor 2 with `write(2)`, ignoring failures (EPIPE, EBADF): output about a run must
    /// not end it.
    public static func writeStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    /// Seconds since boot (monotonic).
    public static let uptime: Clock = { ProcessInfo.processInfo.systemUptime }

    /// Whether to show progress: only on a terminal, and never with `--quiet` or when the environment has
    /// `CI` set to true, 1 or yes (any case).
    public static func shouldShow(quiet: Bool, environment: [String: String], stderrIsTerminal: Bool) -> Bool {
        stderrIsTerminal && !quiet && !Headless.requested(by: environment)
    }

    /// A reporter on standard error when `shouldShow` says so for this process, else nil.
    public static func forTerminal(quiet: Bool,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> ReadProgress? {
        shouldShow(quiet: quiet, environment: environment, stderrIsTerminal: isatty(2) != 0) ? ReadProgress() : nil
    }

    /// Starts a phase (ending the one before), e.g. `reading data/transactions.csv` with the file's size, or
    /// `running criterion rfm` with none, and shows it at once.
    public func begin(_ phase: String, totalBytes: Int? = nil) {
        lock.lock(); defer { lock.unlock() }
        endLocked()
        let now = clock()
        self.phase = phase; self.totalBytes = totalBytes
        bytes = 0; rows = 0; started = now
        if timings { startedCPU = Self.processCPU() } else { draw(now) }
    }

    /// Counts `bytes` more bytes and `rows` more records read in the current phase; redraws when the last
    /// drawing is at least `interval` seconds old. Safe to call from several threads.
    public func advance(bytes: Int, rows: Int) {
        lock.lock(); defer { lock.unlock() }
        self.bytes += bytes; self.rows += rows
        guard phase != nil, !timings else { return }
        let now = clock()
        if now - lastDraw >= interval { draw(now) }
    }

    /// Ends the current phase: a final line when it took `keepAfter` seconds or more, else the line is cleared.
    public func end() {
        lock.lock(); defer { lock.unlock() }
        endLocked()
    }

    /// Ends the current phase and leaves the terminal line clean (call before printing anything else, and
    /// before an error message).
    public func finish() { end() }

    /// Ends the current phase because the run failed in it: with `--timings` its line ends `, failed`, so a script
    /// does not take it for a finished phase.
    public func fail() {
        lock.lock(); defer { lock.unlock() }
        failing = true
        endLocked()
        failing = false
    }

    private func endLocked() {
        guard let phase else { return }
        let seconds = clock() - started
        if timings {
            let now = Self.usage()
            sink(Self.timing(phase: phase, seconds: seconds, cpu: now.cpu - startedCPU, rows: rows,
                             bytes: totalBytes.map { _ in bytes }, peakRSS: now.peakRSS) + (failing ? ", failed\n" : "\n"))
            self.phase = nil
            return
        }
        var text = ""
        if lineShown { text += "\r\u{1B}[K" }
        if seconds >= keepAfter {
            text += Self.summary(phase: phase, rows: rows, seconds: seconds) + "\n"
        }
        if !text.isEmpty { sink(text) }
        self.phase = nil
        lineShown = false
    }

    private func draw(_ now: Double) {
        guard let phase else { return }
        sink("\r" + Self.line(phase: phase, bytes: bytes, totalBytes: totalBytes, rows: rows, seconds: now - started)
             + "\u{1B}[K")
        lineShown = true
        lastDraw = now
    }

    /// The progress line: the phase, then (when known) the share of bytes read, the records and the rate, e.g.
    /// `reading data/transactions.csv  45%  4.5 M rows  1.2 M rows/s`.
    static func line(phase: String, bytes: Int, totalBytes: Int?, rows: Int, seconds: Double) -> String {
        var parts = [phase]
        if let totalBytes, totalBytes > 0 { parts.append("\(min(100, bytes * 100 / totalBytes))%") }
        if rows > 0 {
            parts.append(count(rows) + " rows")
            if seconds >= 0.05 { parts.append(count(Int(Double(rows) / seconds)) + " rows/s") }
        }
        return parts.joined(separator: "  ")
    }

    /// The final line of a phase, e.g. `reading data/transactions.csv: 10.0 M rows in 8.2 s (1.2 M rows/s)`, or
    /// `running criterion rfm: 3.1 s` when it counted no records.
    static func summary(phase: String, rows: Int, seconds: Double) -> String {
        let time = String(format: "%.1f s", seconds)
        guard rows > 0 else { return "\(phase): \(time)" }
        return "\(phase): \(count(rows)) rows in \(time) (\(count(Int(Double(rows) / max(seconds, 1e-9)))) rows/s)"
    }

    /// The `--timings` line of a phase: `timing <phase>: wall 5.21 s, cpu 9.80 s, peak RSS 812 MB`, then for a
    /// phase that read records `, 10000000 rows`, and for one that read a file `, 465.2 MB, 89.3 MB/s, 47.5 MB per
    /// cpu s` (MB are 10^6 bytes; MB per cpu s is the read rate per busy core; peak RSS is the process's highest
    /// resident memory so far). Numbers are plain, so scripts can parse the line.
    static func timing(phase: String, seconds: Double, cpu: Double, rows: Int, bytes: Int?, peakRSS: Int) -> String {
        var text = "timing \(phase): wall " + String(format: "%.3f s, cpu %.3f s", seconds, cpu)
            + ", peak RSS \(peakRSS / 1_000_000) MB"
        if rows > 0 { text += ", \(rows) rows" }
        if let bytes, bytes > 0 {
            let mb = Double(bytes) / 1e6
            text += String(format: ", %.1f MB, %.1f MB/s, %.1f MB per cpu s", mb, mb / max(seconds, 1e-9), mb / max(cpu, 1e-9))
        }
        return text
    }

    /// A count for people: `950`, `12.3 k`, `4.5 M`, `1.2 G`.
    static func count(_ n: Int) -> String {
        let x = Double(n)
        if n < 1000 { return String(n) }
        if x < 999_950 { return String(format: "%.1f k", x / 1e3) }
        if x < 999_950_000 { return String(format: "%.1f M", x / 1e6) }
        return String(format: "%.1f G", x / 1e9)
    }
}
