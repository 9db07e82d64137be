/// The labels Segwork uses for its own groups. A criterion may not return them (the run refuses the label), so
/// a segment can never be mistaken for one of these groups in profiles or diffs.
public enum ReservedLabel {
    /// The whole population, in profiles.
    public static let population = "(all)"
    /// Customers no criterion assigned, in profiles, memberships and diffs.
    public static let unassigned = "(unassigned)"
    /// Customers absent from one of two versions, in diffs.
    public static let absent = "(absent)"
    /// All of them.
    public static let all: Set<String> = [population, unassigned, absent]
}
