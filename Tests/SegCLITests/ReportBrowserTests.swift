import Foundation
import XCTest

/// Issue 12 §1: `report.html` and `diff.html` in a real headless Chromium (Debian package `chromium`, which
/// scripts/ensure-deps installs): loaded from file:// with no console message and no network request, every chart
/// renders the marks its data calls for, no text overflows at a laptop and at a phone width, and a screenshot is
/// written. Without a browser the test is skipped locally and fails under CI.
final class ReportBrowserTests: XCTestCase {
    /// The browser: $SEG_CHROMIUM, else chromium, chromium-browser or google-chrome on the PATH.
    private func browser() throws -> String {
        if let b = ProcessInfo.processInfo.environment["SEG_CHROMIUM"], !b.isEmpty { return b }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("no Chromium found: scripts/ensure-deps installs the Debian package chromium; set SEG_CHROMIUM to another browser")
        }
        throw XCTSkip("no Chromium on the PATH (Debian: apt-get install chromium)")
    }

    /// Runs the browser headless on `url` with `args`; returns standard output and standard error.
    private func chromium(_ args: [String], _ url: URL) throws -> (stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try browser())
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("segchrome-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        p.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                       "--user-data-dir=\(profile.path)"] + args + [url.absoluteString]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// A workspace copy of the demo, with the RFM and behaviour (a cross of two criteria) definitions run at two dates.
    private func demoRuns() throws -> TempWorkspace {
        let ws = try TempWorkspace.demoCopy()
        for args in [["--as-of", "2024-06-30"], []] {
            let r = try SegProcess.run(["run", ws.root.path, "rfm", "behaviour", "--quiet"] + args)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let d = try SegProcess.run(["diff", ws.root.path, "previous:rfm", "latest:rfm"])
        XCTAssertEqual(d.status, 0, d.stderr)
        return ws
    }

    /// The latest version of `definition` written again to a folder of its own (`seg export --out`: the run's bytes).
    private func latestFolder(_ ws: TempWorkspace, _ definition: String) throws -> URL {
        let out = ws.root.appendingPathComponent("out-\(definition)")
        let r = try SegProcess.run(["export", ws.root.path, "latest:\(definition)", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    /// Measures a page in two iframes (1,366 and 390 pixels wide) from a harness page beside it: per chart the marks
    /// it declares, has and renders with a non-empty box; elements reaching past the right edge (outside scrollable
    /// tables); SVG texts reaching outside their SVG.
    private func probe(_ page: URL) throws -> [String: Any] {
        let harness = page.deletingLastPathComponent().appendingPathComponent(".probe-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: harness) }
        let name = page.lastPathComponent
        try """
            <!DOCTYPE html><html><body>
            <iframe id="laptop" src="\(name)" style="width:1366px;height:800px;border:0"></iframe>
            <iframe id="phone" src="\(name)" style="width:390px;height:800px;border:0"></iframe>
            <script>
            function probe(f) {
              const w = f.contentWindow, d = f.contentDocument;
              const r = {width: w.innerWidth, scrollWidth: d.documentElement.scrollWidth, charts: {}, overflowing: [], clipped: []};
              d.querySelectorAll('[data-chart]').forEach(c => {
                const marks = [...c.querySelectorAll('.mark')];
                r.charts[c.dataset.chart] = {declared: +c.dataset.marks, total: marks.length,
                  rendered: marks.filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length};
              });
              d.querySelectorAll('body *').forEach(e => {
                if (!e.closest('.scroll') && !e.closest('svg') && e.getBoundingClientRect().right > w.innerWidth + 1) r.overflowing.push(e.tagName + (e.id ? '#' + e.id : ''));
              });
              d.querySelectorAll('svg').forEach(s => {
                const box = s.getBoundingClientRect();
                s.querySelectorAll('text').forEach(t => {
                  const b = t.getBoundingClientRect();
                  if (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1) r.clipped.push((s.closest('[data-chart]') || {}).id + ': ' + t.textContent);
                });
              });
              return r;
            }
            let done = 0; const out = {};
            for (const f of document.querySelectorAll('iframe')) f.addEventListener('load', () => {
              out[f.id] = probe(f); if (++done == 2) document.body.setAttribute('data-probe', JSON.stringify(out));
            });
            </script></body></html>
            """.write(to: harness, atomically: true, encoding: .utf8)
        let dom = try chromium(["--allow-file-access-from-files", "--window-size=1800,900", "--dump-dom"], harness).stdout
        let start = try XCTUnwrap(dom.range(of: "data-probe=\""), "the probe ran: \(dom.prefix(300))")
        let rest = dom[start.upperBound...]
        let json = String(rest[..<rest.firstIndex(of: "\"")!]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&amp;", with: "&")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// Loads `page` alone: no console message (an error, a warning, a blocked load) and no request the page started.
    private func assertQuiet(_ page: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("segnet-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: log) }
        let run = try chromium(["--enable-logging=stderr", "--v=0", "--log-net-log=\(log.path)", "--dump-dom"], page)
        XCTAssertTrue(run.stdout.contains("</html>"), "the page loaded", file: file, line: line)
        let console = run.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        XCTAssertEqual(console, [], "console messages from \(page.lastPathComponent)", file: file, line: line)
        // Chromium's own background requests have no origin as initiator; the page's (file://) have "null".
        let net = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: log)) as? [String: Any])
        let types = (net["constants"] as? [String: Any])?["logEventTypes"] as? [String: Int] ?? [:]
        let start = try XCTUnwrap(types["URL_REQUEST_START_JOB"])
        let requests = (net["events"] as? [[String: Any]] ?? []).compactMap { e -> String? in
            guard e["type"] as? Int == start, let p = e["params"] as? [String: Any], let url = p["url"] as? String,
                  p["initiator"] as? String != "not an origin" else { return nil }
            return url
        }
        XCTAssertEqual(requests, [], "network requests from \(page.lastPathComponent)", file: file, line: line)
    }

    /// Marks per chart as the data calls for them, for the charts whose count follows directly from the exports.
    private func expectedMarks(_ folder: URL) throws -> [String: Int] {
        let profiles = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("profiles.json"))) as? [String: Any])
        let data = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report-data.json"))) as? [String: Any])
        let segments = try XCTUnwrap(profiles["segments"] as? [[String: Any]])
        let shown = segments.filter { ($0["unassigned"] as? Bool) != true || ($0["count"] as? Int ?? 0) > 0 }
        var out: [String: Int] = ["sizes": shown.filter { ($0["count"] as? Int ?? 0) > 0 }.count, "kpis": 1 + segments.count]
        if profiles["monetary"] is String {
            out["value"] = shown.map { s in [s["share"], s["revenueShare"]].filter { ($0 as? Double ?? 0) > 0 }.count }.reduce(0, +)
        }
        if let grid = data["rfmGrid"] as? [String: Any], let count = grid["count"] as? [[Int]] { out["rfm-count"] = count.joined().count }
        if let m = data["criteria"] as? [String: Any], let counts = m["counts"] as? [[Int]] { out["criteria"] = counts.joined().filter { $0 > 0 }.count }
        if let m = data["migration"] as? [String: Any] {
            out["migration"] = (m["cells"] as? [[Int]])?.count
            out["flows"] = (m["flows"] as? [Any])?.count
        }
        return out
    }

    func testReportsRenderQuietlyWithTheirMarksAndFitLaptopAndPhone() throws {
        _ = try browser()
        let ws = try demoRuns()
        defer { ws.remove() }
        for definition in ["rfm", "behaviour"] {
            let folder = try latestFolder(ws, definition)
            let page = folder.appendingPathComponent("report.html")
            try assertQuiet(page)
            let expected = try expectedMarks(folder)
            XCTAssertNotNil(expected["migration"], "\(definition): the latest run compares with the earlier one")
            if definition == "behaviour" { XCTAssertNotNil(expected["criteria"], "a cross definition has the criterion × criterion chart") }
            let result = try probe(page)
            for width in ["laptop", "phone"] {
                let r = try XCTUnwrap(result[width] as? [String: Any])
                let charts = try XCTUnwrap(r["charts"] as? [String: [String: Int]])
                for id in ["sizes", "value", "kpis", "rfm-count", "rfm-revenue", "drivers", "history", "migration", "flows"] {
                    XCTAssertNotNil(charts[id], "\(definition) \(width): chart \(id)")
                }
                XCTAssertTrue(charts.keys.contains { $0.hasPrefix("hist-") } && charts.keys.contains { $0.hasPrefix("mix-") })
                for (id, c) in charts {
                    XCTAssertGreaterThan(c["declared"] ?? 0, 0, "\(definition) \(width) \(id) draws something")
                    XCTAssertEqual(c["total"], c["declared"], "\(definition) \(width) \(id): marks in the page")
                    XCTAssertEqual(c["rendered"], c["declared"], "\(definition) \(width) \(id): marks with a visible box")
                    if let n = expected[id] { XCTAssertEqual(c["declared"], n, "\(definition) \(width) \(id): marks the data calls for") }
                }
                XCTAssertEqual(r["overflowing"] as? [String], [], "\(definition) \(width): nothing reaches past the right edge")
                XCTAssertEqual(r["clipped"] as? [String], [], "\(definition) \(width): no chart text outside its chart")
                XCTAssertLessThanOrEqual(r["scrollWidth"] as? Int ?? .max, r["width"] as? Int ?? 0, "\(definition) \(width): no sideways scrolling")
            }
        }
        // diff.html: the same rules.
        let diffs = ws.root.appendingPathComponent("exports/rfm/diffs")
        let diff = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: diffs.path).first)
        let page = diffs.appendingPathComponent(diff).appendingPathComponent("diff.html")
        try assertQuiet(page)
        for width in ["laptop", "phone"] {
            let r = try XCTUnwrap(try probe(page)[width] as? [String: Any])
            let charts = try XCTUnwrap(r["charts"] as? [String: [String: Int]])
            XCTAssertEqual(Set(charts.keys), ["sizes", "migration", "flows"])
            for (id, c) in charts { XCTAssertEqual(c["rendered"], c["declared"], "diff \(width) \(id)") }
            XCTAssertEqual(r["overflowing"] as? [String], [])
            XCTAssertEqual(r["clipped"] as? [String], [])
        }
    }

    /// Labels and values of wide glyphs (capitals, CJK, emoji), very long ones and markup stay inside their charts and
    /// stay text.
    func testWideAndHostileLabelsStayInsideTheirCharts() throws {
        _ = try browser()
        let labels = [String(repeating: "W", count: 60), String(repeating: "漢字", count: 20), String(repeating: "😀", count: 30),
                      "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM", "plain"]
        var csv = "customer_id,label,x,city\n"
        for i in 0..<140 {
            let label = labels[i % labels.count].replacingOccurrences(of: "\"", with: "\"\"")
            csv += "c\(i),\"\(label)\",\(i % 13),\"\(labels[(i / 7) % labels.count].replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        let ws = try TempWorkspace(files: [
            "data/customers.csv": csv,
            "plugins/by_label.lua": """
                return { api = 1, kind = "criterion", name = "by_label", version = "1", description = "d", uses = {"label"},
                  assign = function(row, p) return row.label end }
                """,
            "segmentations/wide.yaml": """
                population: customers
                id: customer_id
                as_of: 2024-12-31
                datasets: { customers: { file: data/customers.csv } }
                criteria: [by_label]
                profile: { numeric: [x], categorical: [city] }
                """,
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let page = try latestFolder(ws, "wide").appendingPathComponent("report.html")
        try assertQuiet(page)
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertFalse(html.contains("<script") || html.contains("<img"), "markup from the data stays text")
        for width in ["laptop", "phone"] {
            let result = try XCTUnwrap(try probe(page)[width] as? [String: Any])
            XCTAssertEqual(result["clipped"] as? [String], [], "\(width): no chart text outside its chart")
            XCTAssertEqual(result["overflowing"] as? [String], [], "\(width)")
            for (id, c) in try XCTUnwrap(result["charts"] as? [String: [String: Int]]) {
                XCTAssertEqual(c["rendered"], c["declared"], "\(width) \(id)")
            }
        }
    }

    func testScreenshotIsWritten() throws {
        _ = try browser()
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "rfm", "--quiet"]).status, 0)
        let page = try latestFolder(ws, "rfm").appendingPathComponent("report.html")
        let png = ws.root.appendingPathComponent("report.png")
        _ = try chromium(["--hide-scrollbars", "--window-size=1366,900", "--screenshot=\(png.path)"], page)
        let bytes = try Data(contentsOf: png)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertGreaterThan(bytes.count, 20_000, "a picture of a page with charts, not a blank one")
    }
}
