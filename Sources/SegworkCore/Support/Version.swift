import SegworkData
/// Segwork's version, recorded in every run.
public let segworkVersion = "0.4.0"
