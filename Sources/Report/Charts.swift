/// Small SVG charts for the cohort page. Each bar carries `data-figure`, `data-key` and
/// `data-value`, so tests (and readers' scripts) can read the figures back.
enum Charts {
    /// One bar.
    struct Bar {
        let key: String
        let label: String
        let value: Double
        var colour = ReportStyle.sky
        var title: String? = nil
        var link: String? = nil
    }

    /// Horizontal bars, labelled on the left, values at the end.
    static func bars(_ bars: [Bar], figure: String, labelWidth: Int = 230, width: Int = 560, valueSuffix: String = "") -> String {
        let row = 22, top = 6
        let height = top * 2 + row * max(bars.count, 1)
        let maxValue = max(bars.map(\.value).max() ?? 1, 1)
        let span = Double(width - labelWidth - 60)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(HTML.escape(figure))\">"
        for (i, bar) in bars.enumerated() {
            let y = top + i * row
            let w = max(bar.value > 0 ? 1.5 : 0, span * bar.value / maxValue)
            let title = HTML.escape(bar.title ?? "\(bar.label): \(HTML.number(bar.value))\(valueSuffix)")
            var label = "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(HTML.escape(bar.label))</text>"
            if let link = bar.link { label = "<a href=\"\(HTML.escape(link))\">\(label)</a>" }
            svg += label
            svg += "<rect data-figure=\"\(HTML.escape(figure))\" data-key=\"\(HTML.escape(bar.key))\" data-value=\"\(HTML.number(bar.value))\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(HTML.number(w, decimals: 1))\" height=\"16\" fill=\"\(bar.colour)\"><title>\(title)</title></rect>"
            svg += "<text x=\"\(HTML.number(Double(labelWidth) + w + 5, decimals: 1))\" y=\"\(y + 15)\">\(HTML.number(bar.value))\(valueSuffix)</text>"
        }
        return svg + "</svg>"
    }

    /// A histogram of counts per whole-number value (institutions per participant).
    static func histogram(_ values: [Int], figure: String, xLabel: String, width: Int = 560, height: Int = 220) -> String {
        guard let lo = values.min(), let hi = values.max() else { return "<p class=\"note\">No participants.</p>" }
        var counts: [Int: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        let left = 36, bottom = 34, top = 10
        let plotW = Double(width - left - 10), plotH = Double(height - bottom - top)
        let bins = hi - lo + 1
        let barW = plotW / Double(bins)
        let maxCount = counts.values.max() ?? 1
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(HTML.escape(figure))\">"
        // Axis and ticks.
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>"
        let tick = max(1, (maxCount + 3) / 4)
        for c in stride(from: 0, through: maxCount, by: tick).map(Double.init) {
            let y = Double(height - bottom) - plotH * c / Double(maxCount)
            svg += "<line x1=\"\(left - 4)\" y1=\"\(HTML.number(y, decimals: 1))\" x2=\"\(width - 10)\" y2=\"\(HTML.number(y, decimals: 1))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(HTML.number(y + 4, decimals: 1))\" text-anchor=\"end\">\(Int(c))</text>"
        }
        let step = max(1, bins / 12)
        for v in lo...hi {
            let x = Double(left) + Double(v - lo) * barW
            let n = counts[v] ?? 0
            let h = plotH * Double(n) / Double(maxCount)
            if n > 0 {
                svg += "<rect data-figure=\"\(HTML.escape(figure))\" data-key=\"\(v)\" data-value=\"\(n)\" x=\"\(HTML.number(x + 1, decimals: 1))\" y=\"\(HTML.number(Double(height - bottom) - h, decimals: 1))\" width=\"\(HTML.number(max(1, barW - 2), decimals: 1))\" height=\"\(HTML.number(h, decimals: 1))\" fill=\"\(ReportStyle.legal)\"><title>\(n) participant\(n == 1 ? "" : "s") named \(v) institution\(v == 1 ? "" : "s")</title></rect>"
            }
            if (v - lo) % step == 0 {
                svg += "<text x=\"\(HTML.number(x + barW / 2, decimals: 1))\" y=\"\(height - bottom + 14)\" text-anchor=\"middle\">\(v)</text>"
            }
        }
        svg += "<text x=\"\(left + Int(plotW / 2))\" y=\"\(height - 4)\" text-anchor=\"middle\">\(HTML.escape(xLabel))</text>"
        return svg + "</svg>"
    }

    /// One statement item: mean score expected and experienced.
    struct ItemMeans {
        let item: String
        let expected: Double
        let experienced: Double
        let pairs: Int
    }

    /// Expectation vs experience per statement item: two marks on a 0-5 scale joined by a line
    /// coloured by the direction of the change.
    static func itemDots(_ items: [ItemMeans], figure: String, width: Int = 560) -> String {
        guard !items.isEmpty else { return "<p class=\"note\">No paired statement items.</p>" }
        let left = 150, right = 60, row = 26, top = 24
        let height = top + row * items.count + 26
        let span = Double(width - left - right)
        func x(_ score: Double) -> String { HTML.number(Double(left) + span * score / 5, decimals: 1) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(HTML.escape(figure))\">"
        for s in 0...5 {
            svg += "<line x1=\"\(x(Double(s)))\" y1=\"\(top - 6)\" x2=\"\(x(Double(s)))\" y2=\"\(height - 22)\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(x(Double(s)))\" y=\"\(height - 8)\" text-anchor=\"middle\">\(s)</text>"
        }
        svg += "<text x=\"\(left)\" y=\"12\">mean score 0-5 (agreement); △ expected, ● experienced</text>"
        for (i, m) in items.enumerated() {
            let y = top + i * row + 8
            let colour = ReportStyle.delta(m.experienced - m.expected)
            svg += "<text x=\"\(left - 10)\" y=\"\(y + 4)\" text-anchor=\"end\">\(HTML.escape(m.item))</text>"
            svg += "<line x1=\"\(x(m.expected))\" y1=\"\(y)\" x2=\"\(x(m.experienced))\" y2=\"\(y)\" stroke=\"\(colour)\" stroke-width=\"3\"/>"
            svg += "<path data-figure=\"\(figure)-expected\" data-key=\"\(HTML.escape(m.item))\" data-value=\"\(HTML.number(m.expected))\" d=\"M\(x(m.expected)),\(y - 6) l6,11 h-12 z\" fill=\"#fff\" stroke=\"#333\"><title>\(HTML.escape(m.item)): expected \(HTML.number(m.expected)) on average</title></path>"
            svg += "<circle data-figure=\"\(figure)-experienced\" data-key=\"\(HTML.escape(m.item))\" data-value=\"\(HTML.number(m.experienced))\" cx=\"\(x(m.experienced))\" cy=\"\(y)\" r=\"5.5\" fill=\"\(colour)\"><title>\(HTML.escape(m.item)): experienced \(HTML.number(m.experienced)) on average (\(m.pairs) pairs)</title></circle>"
            svg += "<text x=\"\(width - right + 8)\" y=\"\(y + 4)\">n=\(m.pairs)</text>"
        }
        return svg + "</svg>"
    }
}
