import Foundation
import SegworkData

/// Small-group suppression (`privacy: { min_group_size: k }`): profile statistics computed over fewer than `k`
/// customers are removed and marked `suppressed`, so a profile cannot describe one or a handful of people.
///
/// - A group (segment, the unassigned group, the population) with 1 to k-1 customers keeps its customer
///   count and share (segment sizes are what a segmentation is for), but its revenue, revenue share, every
///   numeric statistic and every categorical top value are removed; the group and each summary say
///   `suppressed: true`. Counts of customers (`count`, `missing`, `distinct`) stay.
/// - In larger groups, a numeric summary over fewer than k customers with a value is suppressed the same way,
///   and top values held by fewer than k customers are removed (`suppressedValues` says how many).
/// - Empty groups have nothing to describe and are left as they are.
package enum Suppression {
    /// `profiles` with every statistic over fewer than `k` customers suppressed, and the drivers found again from
    /// what is left (a suppressed group has none).
    public static func apply(_ profiles: ProfileSet, k: Int) -> ProfileSet {
        var out = profiles
        out.population = apply(profiles.population, k: k)
        out.segments = profiles.segments.map { apply($0, k: k) }
        return SegmentDrivers.attach(out)
    }

    /// One group's profile with small statistics suppressed.
    public static func apply(_ p: SegmentProfile, k: Int) -> SegmentProfile {
        var p = p
        let small = p.count > 0 && p.count < k
        if small {
            p.suppressed = true
            p.revenue = nil
            p.revenueShare = nil
            p.drivers = nil
        }
        p.numeric = p.numeric.map { s in
            guard small || (s.count > 0 && s.count < k) else { return s }
            var s = s
            s.mean = nil; s.median = nil; s.p25 = nil; s.p75 = nil; s.min = nil; s.max = nil; s.index = nil; s.sd = nil
            s.suppressed = true
            return s
        }
        p.categorical = p.categorical.map { s in
            var s = s
            if small {
                s.top = []
                s.suppressed = true
            } else {
                let kept = s.top.filter { $0.count >= k }
                if kept.count < s.top.count { s.suppressedValues = s.top.count - kept.count }
                s.top = kept
            }
            return s
        }
        // A driver may only name what is still shown.
        p.drivers = p.drivers?.filter { d in
            d.value == nil ? p.numeric(d.column)?.suppressed != true
                : p.categorical(d.column)?.top.contains { $0.value == d.value } == true
        }
        return p
    }
}
