/// Byte order of UTF-8 text: the one ordering Segwork uses wherever output must not depend on locale or on
/// Unicode normalisation (sorted labels, parameter names, file lists).
package enum ByteOrder {
    /// True when `a`'s UTF-8 bytes sort before `b`'s.
    @inlinable
    package static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
