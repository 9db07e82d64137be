import SegworkData

/// A PostgreSQL dataset that could not be read: which dataset, what failed, and what to do. The connection string
/// and its password never appear in it (`PostgresConnection` removes them from libpq's messages).
public struct PostgresError: SegworkError, CustomStringConvertible, Equatable {
    /// What failed.
    public enum Kind: String, Sendable, Equatable {
        /// The environment variable that should hold the connection string is not set, or the string is malformed.
        case configuration
        /// The server could not be reached (host, port, socket, TLS, timeout).
        case connection
        /// The server refused the user or password.
        case authentication
        /// The server rejected the query (syntax, unknown table or column, permissions, a statement timeout).
        case query
        /// A column has a type Segwork cannot read, or not the type its role needs.
        case type
        /// The connection dropped while rows were being read; nothing was kept.
        case lost
        /// The rows could not be written to the local temporary file.
        case localFile
    }

    /// What failed.
    public var kind: Kind
    /// The dataset's name in the definition (`transactions`).
    public var dataset: String
    /// The server's message (password removed) or ours, then what to do.
    public var message: String
    /// The server's SQLSTATE code, when it sent one (`42P01`: undefined table).
    public var sqlState: String?

    /// Creates an error.
    public init(_ kind: Kind, dataset: String, _ message: String, sqlState: String? = nil) {
        self.kind = kind; self.dataset = dataset; self.message = message; self.sqlState = sqlState
    }

    /// `PostgreSQL dataset 'transactions': <what failed>: <message>`.
    public var description: String {
        let what: String
        switch kind {
        case .configuration: what = "bad connection settings"
        case .connection: what = "could not connect"
        case .authentication: what = "the server refused the login"
        case .query: what = "the query failed"
        case .type: what = "unsupported column type"
        case .lost: what = "the connection was lost while reading rows (nothing was written)"
        case .localFile: what = "could not keep the rows read"
        }
        return "PostgreSQL dataset '\(dataset)': \(what): \(message)"
    }

    /// Bad settings are the definition's or environment's mistake (usage); everything else fails the run.
    public var exitStatus: ExitStatus { kind == .configuration ? .usage : .runFailed }
}
