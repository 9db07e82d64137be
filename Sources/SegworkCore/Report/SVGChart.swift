import Foundation

/// One chart of a report: an inline SVG drawn by Segwork (no script, no font or file to load) with a title, a
/// caption and its data as a table, for screen readers, printing and copying.
///
/// Every data mark (a bar, a cell, a point) has `class="mark"` and a `<title>` with its exact value; the figure
/// carries `data-marks` with their number, which the browser test compares with what rendered.
struct Figure {
    /// The chart's id (`sizes`, `hist-age`); unique within a page.
    var id: String
    /// Its title.
    var title: String
    /// One sentence on how to read it.
    var caption: String
    /// The SVG's drawing, in a `0 0 width height` view box.
    var body = ""
    var width = SVGChart.width
    var height = 0.0
    /// Data marks drawn.
    var marks = 0
    /// The data table: header and rows (already formatted text).
    var header: [String] = []
    var rows: [[String]] = []
    /// The axis titles, drawn in a band above the chart: what the rows (or the vertical axis) are, right-aligned
    /// before `axisSplit`, and what the bars' lengths or the columns are, left-aligned after it.
    var rowAxis: String?
    var valueAxis: String?
    var axisSplit = SVGChart.labelWidth

    /// The figure's HTML.
    func html() -> String {
        let e = ReportText.escape
        let band = rowAxis == nil && valueAxis == nil ? 0.0 : 20
        var out = "<figure class=\"chart\" id=\"\(e(id))\" data-chart=\"\(e(id))\" data-marks=\"\(marks)\">\n"
        out += "<svg viewBox=\"0 0 \(ReportText.px(width)) \(ReportText.px(height + band))\" role=\"img\" aria-labelledby=\"\(e(id))-t\">"
        out += "<title id=\"\(e(id))-t\">\(e(title))</title>\n"
        if let rowAxis {
            let t = SVGChart.fit(rowAxis + " ↓", 30)
            out += "<text class=\"axt\" x=\"\(ReportText.px(axisSplit - 6))\" y=\"14\" text-anchor=\"end\"\(t.attributes)>\(t.text)</text>\n"
        }
        if let valueAxis {
            let t = SVGChart.fit(valueAxis + " →", 62)
            out += "<text class=\"axt\" x=\"\(ReportText.px(axisSplit))\" y=\"14\"\(t.attributes)>\(t.text)</text>\n"
        }
        out += band > 0 ? "<g transform=\"translate(0,\(ReportText.px(band)))\">\n\(body)</g></svg>\n" : "\(body)</svg>\n"
        out += "<figcaption><strong>\(e(title))</strong>. \(e(caption))</figcaption>\n"
        out += "<details class=\"data\"><summary>Data table</summary><div class=\"scroll\">"
        out += HTMLTable.html(header, rows) + "</div></details>\n</figure>\n"
        return out
    }
}

/// An HTML table of formatted cells: the first column heads each row; the others are numbers, right-aligned, except
/// the `text` columns (left-aligned, wrapping).
enum HTMLTable {
    static func html(_ header: [String], _ rows: [[String]], markRows: Bool = false, text: Set<Int> = []) -> String {
        let e = ReportText.escape
        func kind(_ i: Int) -> String { i == 0 ? "" : text.contains(i) ? " class=\"txt\"" : " class=\"num\"" }
        var out = "<table><thead><tr>" + header.enumerated().map { i, h in
            "<th\(kind(i)) scope=\"col\">\(e(h))</th>"
        }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            out += "<tr\(markRows ? " class=\"mark\"" : "")>" + row.enumerated().map { i, c in
                i == 0 ? "<th scope=\"row\">\(e(c))</th>" : "<td\(kind(i))>\(e(c))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>"
    }
}

/// The chart types of the report, drawn as SVG.
enum SVGChart {
    static let width = 720.0
    static let labelWidth = 210.0
    static let rowHeight = 22.0
    static let labelChars = 28
    /// Colours for series (Okabe–Ito, distinguishable with the common colour-vision deficiencies), then grey.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]

    /// Text for an SVG `<text>`: `s` cut to `chars` characters ("…"), escaped, with the attributes that squeeze it into
    /// the room of `chars` average characters when its glyphs are wider (capitals, CJK, emoji), so it never leaves its
    /// place. Widths are estimates in ems of a sans-serif face at `px` pixels.
    static func fit(_ s: String, _ chars: Int, px: Double = 12) -> (attributes: String, text: String) {
        let cut = ReportText.short(s, chars)
        var ems = 0.0
        for ch in cut {
            // Wide glyphs (CJK, Hangul, picture emoji) as the terminal layout counts them; ASCII by its shape.
            if TerminalColumns.width(of: ch) == 2 { ems += 1.05; continue }
            guard let v = ch.unicodeScalars.first?.value, v < 0x80 else { ems += 0.75; continue }
            switch v {
            case 0x20, 0x21, 0x27, 0x2C, 0x2E, 0x3A, 0x3B, 0x49, 0x69, 0x6A, 0x6C, 0x7C: ems += 0.32   // space ! ' , . : ; I i j l |
            case 0x4D, 0x57, 0x6D, 0x77: ems += 0.95                                               // M W m w
            case 0x41...0x5A: ems += 0.72                                                           // other capitals
            default: ems += 0.6
            }
        }
        let room = Double(chars) * 0.6 * px
        let attributes = ems * px > room ? " textLength=\"\(ReportText.px(room))\" lengthAdjust=\"spacingAndGlyphs\"" : ""
        return (attributes, ReportText.escape(cut))
    }

    /// A row label at the left, cut to `labelChars` with the full text as its tooltip.
    static func label(_ text: String, y: Double) -> String {
        let e = ReportText.escape
        let t = fit(text, labelChars)
        return "<text class=\"lbl\" x=\"\(ReportText.px(labelWidth - 6))\" y=\"\(ReportText.px(y))\" text-anchor=\"end\"\(t.attributes)><title>\(e(text))</title>\(t.text)</text>\n"
    }

    /// A rectangle mark with its tooltip.
    static func rect(x: Double, y: Double, w: Double, h: Double, fill: String, tip: String) -> String {
        let p = ReportText.px
        return "<rect class=\"mark\" x=\"\(p(x))\" y=\"\(p(y))\" width=\"\(p(max(w, 0)))\" height=\"\(p(h))\" fill=\"\(fill)\"><title>\(ReportText.escape(tip))</title></rect>\n"
    }

    /// Horizontal bars, one row per item, with a value text after each bar. `values` may be empty (then only rows).
    static func bars(_ f: inout Figure, _ items: [(label: String, values: [Double], text: String)], series: [String]) {
        let top = series.count > 1 ? 24.0 : 6.0
        let band = rowHeight * Double(max(series.count, 1)) + 6
        let maxValue = max(items.flatMap(\.values).max() ?? 0, 1e-300)
        let area = width - labelWidth - 120
        var body = legend(series)
        for (i, item) in items.enumerated() {
            let y0 = top + Double(i) * band
            body += label(item.label, y: y0 + band / 2 + 4)
            for (k, v) in item.values.enumerated() where v > 0 {   // a zero draws no bar; its text says 0
                let w = area * v / maxValue
                body += rect(x: labelWidth, y: y0 + Double(k) * rowHeight + 3, w: w, h: rowHeight - 6,
                             fill: palette[k % palette.count], tip: "\(item.label)\(series.count > 1 ? " · \(series[k])" : ""): \(item.text)")
                f.marks += 1
            }
            body += "<text class=\"val\" x=\"\(ReportText.px(labelWidth + area * (item.values.max() ?? 0) / maxValue + 4))\" y=\"\(ReportText.px(y0 + band / 2 + 4))\">\(ReportText.escape(item.text))</text>\n"
        }
        f.body = body
        f.height = top + Double(items.count) * band + 6
    }

    /// A legend line at the top for several series.
    static func legend(_ series: [String]) -> String {
        guard series.count > 1 else { return "" }
        var x = labelWidth, out = ""
        for (k, s) in series.enumerated() {
            out += "<rect x=\"\(ReportText.px(x))\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(palette[k % palette.count])\"/>"
            let t = fit(s, 24)
            out += "<text class=\"lbl\" x=\"\(ReportText.px(x + 16))\" y=\"14\"\(t.attributes)>\(t.text)</text>\n"
            x += 28 + Double(min(s.count, 24)) * 7
        }
        return out
    }

    /// A heatmap: one cell per row × column, shaded by `values` (sequential from 0, or diverging around 0), with
    /// `texts` in the cells when they fit. Cells with `nil` values are left empty (no mark).
    static func heatmap(_ f: inout Figure, rows: [String], columns: [String], values: [[Double?]], texts: [[String]],
                        diverging: Bool = false) {
        let cols = max(columns.count, 1)
        let right = 70.0   // room for the last column's label, which leans right
        let cell = max(min((width - labelWidth - right) / Double(cols), 90), 14)
        let longest = Double(columns.map { min($0.count, 18) }.max() ?? 0)
        let head = 16 + longest * 7 * 0.77   // rotated labels: their height is about sin(50°) of their length
        let limit = values.flatMap { $0.compactMap { $0.map(abs) } }.max() ?? 0
        var body = ""
        for (j, c) in columns.enumerated() {
            let x = labelWidth + (Double(j) + 0.5) * cell
            let t = fit(c, 18)
            body += "<text class=\"lbl\" transform=\"translate(\(ReportText.px(x + 4)),\(ReportText.px(head - 4))) rotate(-50)\"\(t.attributes)><title>\(ReportText.escape(c))</title>\(t.text)</text>\n"
        }
        for (i, r) in rows.enumerated() {
            let y = head + Double(i) * rowHeight
            body += label(r, y: y + rowHeight / 2 + 4)
            for (j, c) in columns.enumerated() {
                guard let v = values[i][j] else { continue }
                let t = limit > 0 ? v / limit : 0
                let fill = diverging ? divergingColour(t) : sequentialColour(t)
                body += rect(x: labelWidth + Double(j) * cell + 1, y: y + 1, w: cell - 2, h: rowHeight - 2, fill: fill,
                             tip: "\(r) × \(c): \(texts[i][j])")
                f.marks += 1
                if cell >= 44 {
                    let dark = diverging ? abs(t) > 0.6 : t > 0.55
                    body += "<text class=\"cell\(dark ? " on" : "")\" x=\"\(ReportText.px(labelWidth + (Double(j) + 0.5) * cell))\" y=\"\(ReportText.px(y + rowHeight / 2 + 4))\" text-anchor=\"middle\">\(ReportText.escape(ReportText.short(texts[i][j], Int(cell / 7))))</text>\n"
                }
            }
        }
        f.body = body
        f.height = head + Double(rows.count) * rowHeight + 8
        f.width = max(width, labelWidth + Double(cols) * cell + right)
    }

    /// 0…1 → white to dark blue.
    static func sequentialColour(_ t: Double) -> String {
        let t = min(max(t, 0), 1)
        return rgb(247 - 239 * t, 251 - 203 * t, 255 - 148 * t)
    }

    /// -1…1 → red, white, blue.
    static func divergingColour(_ t: Double) -> String {
        let t = min(max(t, -1), 1)
        return t >= 0 ? rgb(247 - 214 * t, 247 - 145 * t, 247 - 75 * t) : rgb(247 - 69 * -t, 247 - 223 * -t, 247 - 204 * -t)
    }

    static func rgb(_ r: Double, _ g: Double, _ b: Double) -> String {
        String(format: "#%02X%02X%02X", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    /// 100 % stacked bars: one row per item, one part per `parts` entry (zero parts draw no mark).
    static func stacked(_ f: inout Figure, _ items: [(label: String, counts: [Int])], parts: [String]) {
        let top = 24.0 + 16 * Double((parts.count - 1) / 5)
        let area = width - labelWidth - 20
        var body = ""
        for (k, p) in parts.enumerated() {   // legend, five per line
            let x = labelWidth + Double(k % 5) * (area / 5), y = 4 + 16 * Double(k / 5)
            body += "<rect x=\"\(ReportText.px(x))\" y=\"\(ReportText.px(y))\" width=\"12\" height=\"12\" fill=\"\(palette[k % palette.count])\"/>"
            let t = fit(p, 13)
            body += "<text class=\"lbl\" x=\"\(ReportText.px(x + 16))\" y=\"\(ReportText.px(y + 10))\"\(t.attributes)><title>\(ReportText.escape(p))</title>\(t.text)</text>\n"
        }
        for (i, item) in items.enumerated() {
            let y = top + Double(i) * rowHeight
            body += label(item.label, y: y + rowHeight / 2 + 4)
            let total = item.counts.reduce(0, +)
            var x = labelWidth
            for (k, c) in item.counts.enumerated() where c > 0 {
                let w = area * Double(c) / Double(total)
                body += rect(x: x, y: y + 3, w: w, h: rowHeight - 6, fill: palette[k % palette.count],
                             tip: "\(item.label) · \(parts[k]): \(ReportText.count(c)) (\(ReportText.percent(Double(c) / Double(total))))")
                f.marks += 1
                x += w
            }
        }
        f.body = body
        f.height = top + Double(items.count) * rowHeight + 6
    }

    /// Small multiples of histograms sharing bins: one row of bars per group, heights as the group's share per bin.
    static func histograms(_ f: inout Figure, edges: [Double], groups: [(label: String, counts: [Int])],
                           binText: (Int) -> String) {
        let panel = 44.0, gap = 10.0
        let bins = max(edges.count - 1, 1)
        let area = width - labelWidth - 20
        let barW = area / Double(bins)
        // One scale for every panel: the largest share any shown group has in one bin.
        let peak = groups.map { g in Double(g.counts.max() ?? 0) / Double(max(g.counts.reduce(0, +), 1)) }.max() ?? 0
        var body = ""
        for (g, group) in groups.enumerated() {
            let y0 = 8 + Double(g) * (panel + gap)
            let total = max(group.counts.reduce(0, +), 1)
            body += label(group.label, y: y0 + panel / 2 + 4)
            body += "<line class=\"axis\" x1=\"\(ReportText.px(labelWidth))\" x2=\"\(ReportText.px(labelWidth + area))\" y1=\"\(ReportText.px(y0 + panel))\" y2=\"\(ReportText.px(y0 + panel))\"/>\n"
            for (b, c) in group.counts.enumerated() where c > 0 {
                let share = Double(c) / Double(total)
                let h = peak > 0 ? panel * share / peak : 0
                body += rect(x: labelWidth + Double(b) * barW + 0.5, y: y0 + panel - h, w: barW - 1, h: h,
                             fill: palette[g == 0 ? 8 : 0], tip: "\(group.label), \(binText(b)): \(ReportText.count(c)) (\(ReportText.percent(share)))")
                f.marks += 1
            }
        }
        let y = 8 + Double(groups.count) * (panel + gap) - gap + 14
        body += "<text class=\"lbl\" x=\"\(ReportText.px(labelWidth))\" y=\"\(ReportText.px(y))\">\(ReportText.escape(binText(0)))</text>"
        body += "<text class=\"lbl\" x=\"\(ReportText.px(labelWidth + area))\" y=\"\(ReportText.px(y))\" text-anchor=\"end\">\(ReportText.escape(binText(bins - 1)))</text>\n"
        f.body = body
        f.height = y + 8
    }

    /// Lines of segment sizes across versions: one point per version with a value, one line per series.
    static func lines(_ f: inout Figure, xLabels: [String], series: [(label: String, values: [Int?])]) {
        let left = 70.0, top = 10.0 + 16 * Double((series.count + 3) / 4), plot = 220.0
        let area = width - left - 30
        let peak = Double(max(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1, 1))
        let step = xLabels.count > 1 ? area / Double(xLabels.count - 1) : 0
        var body = ""
        for (k, s) in series.enumerated() {   // legend, four per line
            let x = left + Double(k % 4) * (area / 4), y = 4 + 16 * Double(k / 4)
            body += "<rect x=\"\(ReportText.px(x))\" y=\"\(ReportText.px(y))\" width=\"12\" height=\"12\" fill=\"\(palette[k % palette.count])\"/>"
            let t = fit(s.label, 20)
            body += "<text class=\"lbl\" x=\"\(ReportText.px(x + 16))\" y=\"\(ReportText.px(y + 10))\"\(t.attributes)><title>\(ReportText.escape(s.label))</title>\(t.text)</text>\n"
        }
        body += "<line class=\"axis\" x1=\"\(ReportText.px(left))\" x2=\"\(ReportText.px(left + area))\" y1=\"\(ReportText.px(top + plot))\" y2=\"\(ReportText.px(top + plot))\"/>\n"
        body += "<text class=\"lbl\" x=\"\(ReportText.px(left - 6))\" y=\"\(ReportText.px(top + 4))\" text-anchor=\"end\">\(ReportText.count(Int(peak)))</text>"
        body += "<text class=\"lbl\" x=\"\(ReportText.px(left - 6))\" y=\"\(ReportText.px(top + plot))\" text-anchor=\"end\">0</text>\n"
        for (i, x) in xLabels.enumerated() {
            body += "<text class=\"lbl\" x=\"\(ReportText.px(left + Double(i) * step))\" y=\"\(ReportText.px(top + plot + 16))\" text-anchor=\"middle\">\(ReportText.escape(x))</text>\n"
        }
        for (k, s) in series.enumerated() {
            let colour = palette[k % palette.count]
            let points = s.values.enumerated().compactMap { i, v in v.map { (left + Double(i) * step, top + plot - plot * Double($0) / peak, $0, i) } }
            if points.count > 1 {
                body += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"" + points.map { "\(ReportText.px($0.0)),\(ReportText.px($0.1))" }.joined(separator: " ") + "\"/>\n"
            }
            for p in points {
                body += "<circle class=\"mark\" cx=\"\(ReportText.px(p.0))\" cy=\"\(ReportText.px(p.1))\" r=\"3.5\" fill=\"\(colour)\"><title>\(ReportText.escape("\(s.label), \(xLabels[p.3]): \(ReportText.count(p.2))"))</title></circle>\n"
                f.marks += 1
            }
        }
        f.body = body
        f.height = top + plot + 26
    }
}
