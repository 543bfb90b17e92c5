import JourneyModel
import Projections

/// Escaping and a little markup for the report's pages, which are well-formed XML (XHTML
/// syntax served as HTML5) so any XML parser can check them.
enum HTML {
    /// Text or an attribute value with `&`, `<`, `>` and `"` escaped.
    static func escape(_ s: String) -> String { MarkupText.escape(s) }

    /// A number with at most `decimals` decimals, without trailing zeros.
    static func number(_ x: Double, decimals: Int = 2) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (x * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var s = String(rounded)
        if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > decimals + 1 {
            s = String(s[..<s.index(dot, offsetBy: decimals + 1)])
        }
        return s
    }

    /// A whole page: head with the inline stylesheet, then `body`.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(escape(title))</title>
        <style>\(ReportStyle.css)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}

/// The report's colours and stylesheet. The palette is Okabe and Ito's, chosen so readers with
/// any common colour-vision deficiency can tell the colours apart; every distinction that matters
/// is also carried by shape or line style.
enum ReportStyle {
    static let legal = "#0072B2"      // blue
    static let help = "#009E73"       // bluish green
    static let both = "#CC79A7"       // reddish purple
    static let uncoded = "#999999"
    static let refused = "#D55E00"    // vermillion
    static let deadEnd = "#E69F00"    // orange
    static let cycle = "#CC79A7"      // reddish purple
    static let accepted = "#444444"
    static let better = "#0072B2"     // experience above expectation
    static let worse = "#D55E00"      // experience below expectation
    static let neutral = "#777777"
    static let sky = "#56B4E9"

    /// The colour of a chain.
    static func chain(_ chain: String) -> String {
        switch chain {
        case "legal": legal
        case "help": help
        case "both": both
        default: uncoded
        }
    }

    /// A diverging colour for a mean delta (experienced - expected).
    static func delta(_ d: Double) -> String { d > 0.25 ? better : d < -0.25 ? worse : neutral }

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa;line-height:1.4}
        header{background:#1f2d3d;color:#fff;padding:18px 32px}
        header h1{margin:0;font-size:1.5em}
        header p{margin:4px 0 0;opacity:.85}
        header a{color:#9fd3ff}
        main{padding:16px 32px;max-width:1300px}
        section{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:12px 18px;margin:14px 0}
        h2{font-size:1.15em;margin:4px 0 8px}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:14px}
        .grid section{margin:0}
        .summary{display:flex;flex-wrap:wrap;gap:10px 28px;margin:0}
        .summary div{min-width:120px}
        .summary dt{font-size:.8em;color:#666}
        .summary dd{margin:0;font-size:1.4em;font-weight:600}
        table{border-collapse:collapse;font-size:.88em;width:100%}
        th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eee;vertical-align:top}
        th{color:#555;font-weight:600}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        td:first-child{white-space:nowrap}
        .mark{display:inline-block;padding:0 6px;border-radius:3px;font-size:.8em;color:#fff;margin-right:3px}
        .m-refused{background:#D55E00}.m-dead{background:#B07800}.m-cycle{background:#A0527F}
        svg{max-width:100%;height:auto;font-size:11px}
        svg text{fill:#333}
        .note{color:#666;font-size:.85em}
        a{color:#0060a0}
        .participants{columns:4 160px;font-size:.9em}
        """
}

extension InstitutionDirectory {
    /// How the report names an institution id (or `self` / `network`): its coded name, with the
    /// id when `withID`.
    func displayName(_ id: String, withID: Bool) -> String {
        switch id {
        case "self": return "self (own initiative)"
        case "network": return "network (family, friends)"
        default:
            guard let name = name(of: id) else { return "\(id) (uncoded)" }
            return withID ? "\(name) (\(id))" : name
        }
    }
}
