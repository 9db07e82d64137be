import Yams

/// A dataset read from PostgreSQL (`datasets.<name>.postgres`; docs/POSTGRES.md): where the connection string is,
/// and the table or query. The connection string itself is never in the definition, the run id or any output.
public struct PostgresSpec: Sendable, Equatable {
    /// The environment variable that holds the libpq connection string (`SEG_PG_URL`).
    public var urlEnv: String
    /// A table or view (`sales.order_lines`), unquoted; or nil when `query` is given.
    public var table: String?
    /// A SELECT query; or nil when `table` is given.
    public var query: String?
    /// True (the default): when the dataset feeds `features.rfm`, the per-customer aggregates are computed in the
    /// database (`PushDown`), with the dataset's clean steps when all of them are exact in SQL; false: every row
    /// is read.
    public var pushDown = true

    /// Every key of `postgres:`.
    package static let keys = ["url_env", "table", "query", "push_down"]

    /// The SELECT the dataset reads: the query (without trailing semicolons), or `SELECT * FROM <table>`.
    public var select: String {
        if let table { return "SELECT * FROM \(table)" }
        var q = query ?? ""
        while let last = q.last, last == ";" || last.isWhitespace { q.removeLast() }
        return q
    }

    /// What errors and `inputs` call the source: `table sales.order_lines` or `query`.
    public var shown: String { table.map { "table \($0)" } ?? "query" }

    /// Parses `postgres:` of dataset `path`.
    static func parse(_ node: Node, _ path: String, _ y: YAMLFields) throws -> PostgresSpec {
        var spec = PostgresSpec(urlEnv: "")
        var sawURL = false
        for (k, v) in try y.mapping(node, path, known: keys) {
            let p = "\(path).\(k)"
            switch k {
            case "url_env":
                spec.urlEnv = try y.string(v, p)
                guard spec.urlEnv.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                    throw y.error(v, "'\(p)' names the environment variable that holds the connection string (e.g. SEG_PG_URL), not the string itself (which is not repeated here: it may hold a password)")
                }
                sawURL = true
            case "table":
                let t = try y.string(v, p)
                guard t.range(of: "^[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$", options: .regularExpression) != nil else {
                    throw y.error(v, "'\(p)' must be a table name like order_lines or sales.order_lines (got '\(t)'); for anything else write a query: instead")
                }
                spec.table = t
            case "query":
                spec.query = try y.string(v, p)
                // Two statements are refused by the server (a prepared statement holds one), in its own words.
                if spec.select.isEmpty { throw y.error(v, "'\(p)' is empty; write a SELECT query") }
                // A dataset reads: the query must be a SELECT (or WITH … SELECT, VALUES, TABLE), never a write.
                let first = spec.select.drop { $0.isWhitespace || $0 == "(" }.prefix { $0.isLetter }.lowercased()
                guard ["select", "with", "values", "table"].contains(first) || spec.select.hasPrefix("--") || spec.select.hasPrefix("/*") else {
                    throw y.error(v, "'\(p)' must be a SELECT query (or WITH … SELECT); it starts with '\(first)', and a dataset only reads")
                }
            default:
                spec.pushDown = try y.bool(v, p)
            }
        }
        if !sawURL {
            throw y.error(node, "'\(path)' needs url_env: the environment variable that holds the connection string (e.g. url_env: SEG_PG_URL)")
        }
        if (spec.table == nil) == (spec.query == nil) {
            throw y.error(node, "'\(path)' needs exactly one of 'table' (a table or view) or 'query' (a SELECT)")
        }
        return spec
    }
}
