import XCTest
@testable import SegworkCore
@testable import SegworkData

/// The progress line: when it is shown, what it says, how often it redraws. A fake clock and sink; no sleeping.
final class ProgressTests: XCTestCase {
    /// A sink and a clock the test controls.
    private final class Fake: @unchecked Sendable {
        var now = 100.0
        var written: [String] = []
        lazy var progress = ReadProgress(sink: { [unowned self] in self.written.append($0) }, clock: { [unowned self] in self.now })
    }

    func testShownOnlyOnATerminalWithoutQuietOrCI() {
        XCTAssertTrue(ReadProgress.shouldShow(quiet: false, environment: [:], stderrIsTerminal: true))
        XCTAssertTrue(ReadProgress.shouldShow(quiet: false, environment: ["CI": "false"], stderrIsTerminal: true))
        XCTAssertFalse(ReadProgress.shouldShow(quiet: true, environment: [:], stderrIsTerminal: true))
        XCTAssertFalse(ReadProgress.shouldShow(quiet: false, environment: [:], stderrIsTerminal: false))
        for ci in ["true", "TRUE", "1", "yes"] {
            XCTAssertFalse(ReadProgress.shouldShow(quiet: false, environment: ["CI": ci], stderrIsTerminal: true), ci)
        }
    }

    func testLineAndSummaryFormatting() {
        XCTAssertEqual(ReadProgress.line(phase: "reading data/t.csv", bytes: 450, totalBytes: 1000, rows: 4_500_000,
                                         seconds: 3.75), "reading data/t.csv  45%  4.5 M rows  1.2 M rows/s")
        XCTAssertEqual(ReadProgress.line(phase: "running criterion rfm", bytes: 0, totalBytes: nil, rows: 0, seconds: 2),
                       "running criterion rfm")
        XCTAssertEqual(ReadProgress.line(phase: "reading x", bytes: 5, totalBytes: 0, rows: 950, seconds: 0.01),
                       "reading x  950 rows", "no rate before there is time to measure one; no share of an empty file")
        XCTAssertEqual(ReadProgress.summary(phase: "reading x", rows: 10_000_000, seconds: 8), "reading x: 10.0 M rows in 8.0 s (1.2 M rows/s)")
        XCTAssertEqual(ReadProgress.summary(phase: "profiling", rows: 0, seconds: 1.25), "profiling: 1.2 s")
        XCTAssertEqual([999, 1000, 12_345, 999_949, 999_950, 2_500_000_000].map(ReadProgress.count),
                       ["999", "1.0 k", "12.3 k", "999.9 k", "1.0 M", "2.5 G"])
    }

    func testRedrawsAtMostTenTimesASecondAndEndsCleanly() {
        let f = Fake()
        let p = f.progress
        p.begin("reading t.csv", totalBytes: 1000)
        XCTAssertEqual(f.written, ["\rreading t.csv  0%\u{1B}[K"])
        f.now += 0.0625
        p.advance(bytes: 100, rows: 65_536)
        XCTAssertEqual(f.written.count, 1, "too soon to redraw")
        f.now += 0.0625
        p.advance(bytes: 100, rows: 65_536)
        XCTAssertEqual(f.written.last, "\rreading t.csv  20%  131.1 k rows  1.0 M rows/s\u{1B}[K")
        f.now += 2
        p.begin("running criterion rfm")  // ends the read, which took over a second: a final line stays
        XCTAssertEqual(f.written.suffix(2), ["\r\u{1B}[Kreading t.csv: 131.1 k rows in 2.1 s (61.7 k rows/s)\n",
                                             "\rrunning criterion rfm\u{1B}[K"])
        f.now += 0.5
        p.finish()  // a short phase is just cleared
        XCTAssertEqual(f.written.last, "\r\u{1B}[K")
        let count = f.written.count
        p.finish()
        p.advance(bytes: 1, rows: 1)
        XCTAssertEqual(f.written.count, count, "nothing after the end")
    }

    func testAdvanceFromSeveralThreadsCountsEverything() {
        let f = Fake()
        let p = f.progress
        p.begin("reading big.csv", totalBytes: 8 * 1000)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1000 { p.advance(bytes: 1, rows: 2) }
        }
        f.now += 5
        p.finish()
        XCTAssertEqual(f.written.last, "\r\u{1B}[Kreading big.csv: 16.0 k rows in 5.0 s (3.2 k rows/s)\n")
    }

    func testReadersReportRowsAndBytes() throws {
        let f = Fake()
        let rows = 70_000
        var text = "id,v\n"
        for i in 0..<rows { text += "\(i),\(i % 7)\n" }
        f.progress.begin("reading t.csv", totalBytes: text.utf8.count)
        _ = try DataReader.parseCSV(Array(text.utf8), origin: "t.csv", options: ReadOptions(progress: f.progress))
        f.now += 1
        f.progress.end()
        XCTAssertEqual(f.written.last, "\r\u{1B}[Kreading t.csv: 70.0 k rows in 1.0 s (70.0 k rows/s)\n")

        let g = Fake()
        var jsonl = ""
        for i in 0..<rows { jsonl += "{\"id\": \(i)}\n" }
        g.progress.begin("reading t.jsonl", totalBytes: jsonl.utf8.count)
        g.now += 0.2
        _ = try DataReader.parseJSONLines(Array(jsonl.utf8), origin: "t.jsonl", options: ReadOptions(progress: g.progress))
        // The reader reports each chunk as it is joined: here the whole file is one chunk.
        XCTAssertTrue(g.written.last!.contains("  70.0 k rows  350.0 k rows/s"), "drawn after the chunk: \(g.written)")
        g.now += 0.8
        g.progress.end()
        XCTAssertEqual(g.written.last, "\r\u{1B}[Kreading t.jsonl: 70.0 k rows in 1.0 s (70.0 k rows/s)\n")
    }
}

/// `seg run --timings`: one plain line per phase, never a redrawn line, short phases included.
final class TimingsTests: XCTestCase {
    func testEveryPhaseEndsWithOneTimingLineAndNothingIsRedrawn() {
        final class Box: @unchecked Sendable { var now = 10.0; var written: [String] = [] }
        let box = Box()
        let p = ReadProgress(timingsTo: { box.written.append($0) }, clock: { box.now })
        p.begin("reading data/t.csv", totalBytes: 2_000_000)
        p.advance(bytes: 1_000_000, rows: 10)
        p.advance(bytes: 1_000_000, rows: 15)
        box.now += 0.5
        p.begin("cleaning tx: step 1 (dedupe)")   // ends the read
        box.now += 0.001
        p.end()
        p.end()                                    // nothing open: nothing more
        XCTAssertEqual(box.written.count, 2, "\(box.written)")
        XCTAssertFalse(box.written.joined().contains("\r"), "no redrawn progress line")
        let read = box.written[0], clean = box.written[1]
        XCTAssertTrue(read.hasPrefix("timing reading data/t.csv: wall 0.500 s, cpu "), read)
        XCTAssertTrue(read.contains(", 25 rows, "), read)
        XCTAssertTrue(read.contains(", 2.0 MB, 4.0 MB/s, ") && read.hasSuffix(" MB per cpu s\n"), read)
        XCTAssertTrue(clean.hasPrefix("timing cleaning tx: step 1 (dedupe): wall 0.001 s, cpu "), clean)
        XCTAssertFalse(clean.contains("rows") || clean.contains("MB/s"), "a phase that read nothing says only its times")
    }

    func testTheLineFormat() {
        XCTAssertEqual(ReadProgress.timing(phase: "reading a.csv", seconds: 2, cpu: 4, rows: 1000, bytes: 100_000_000,
                                           peakRSS: 812_345_678),
                       "timing reading a.csv: wall 2.000 s, cpu 4.000 s, peak RSS 812 MB, 1000 rows, 100.0 MB, 50.0 MB/s, 25.0 MB per cpu s")
        XCTAssertEqual(ReadProgress.timing(phase: "profiling", seconds: 0.25, cpu: 0.5, rows: 0, bytes: nil, peakRSS: 0),
                       "timing profiling: wall 0.250 s, cpu 0.500 s, peak RSS 0 MB")
    }

    func testProcessUsageAdvances() {
        XCTAssertGreaterThan(ReadProgress.usage().peakRSS, 1_000_000, "a running test process holds more than 1 MB")
        let before = ReadProgress.processCPU()
        var x = 0.0
        for i in 0..<3_000_000 { x += Double(i).squareRoot() }
        XCTAssertGreaterThan(x, 0)
        XCTAssertGreaterThan(ReadProgress.processCPU(), before)
    }
}
