import Foundation
import XCTest
@testable import SegworkData

/// The k-means kernel, the silhouette and the Hungarian method against scikit-learn's own output
/// (Fixtures/kmeans/kmeans.json, written by Fixtures/kmeans/generate.py) and hand-checked answers.
final class KMeansKernelTests: XCTestCase {
    struct Case: Decodable {
        var name: String; var rows: Int; var cols: Int; var k: Int; var max_iter: Int; var tol: Double
        var x: [Double]; var `init`: [Double]; var labels: [Int32]; var inertia: Double; var n_iter: Int
        var centers: [Double]; var silhouette: Double?
    }
    struct Fixture: Decodable { var sklearn: String; var cases: [Case] }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kmeans/kmeans.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Labels equal up to a renaming of the clusters (a one-to-one map).
    func assertSamePartition(_ a: [Int32], _ b: [Int32], _ what: String) {
        XCTAssertEqual(a.count, b.count, what)
        var ab: [Int32: Int32] = [:], ba: [Int32: Int32] = [:]
        for (x, y) in zip(a, b) {
            if let m = ab[x], m != y { return XCTFail("\(what): cluster \(x) maps to \(m) and \(y)") }
            if let m = ba[y], m != x { return XCTFail("\(what): cluster \(y) maps back to \(m) and \(x)") }
            ab[x] = y; ba[y] = x
        }
    }

    func testLloydMatchesScikitLearnFromTheSameStart() throws {
        let f = try Self.fixture()
        XCTAssertEqual(f.cases.count, 4)
        for c in f.cases {
            let tol = KMeans.tolerance(c.x, rows: c.rows, cols: c.cols, tol: c.tol)
            let r = KMeans.lloyd(c.x, rows: c.rows, cols: c.cols, initial: c.`init`, maxIterations: c.max_iter, tolerance: tol)
            XCTAssertEqual(r.inertia, c.inertia, accuracy: 1e-6 * c.inertia, "\(c.name): inertia")
            assertSamePartition(r.labels, c.labels, c.name)
            XCTAssertEqual(r.iterations, c.n_iter, "\(c.name): iterations")
            for (a, b) in zip(r.centers, c.centers) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), "\(c.name): centres") }
        }
    }

    /// Plain Lloyd, written as simply as possible: every distance every iteration.
    static func naiveLloyd(_ x: [Double], _ n: Int, _ d: Int, _ initial: [Double], _ maxIterations: Int, _ tol: Double) -> ([Int32], [Double], Int) {
        let k = initial.count / d
        var centers = initial, labels = [Int32](repeating: -1, count: n), iterations = 0, strict = false
        func label() -> Int {
            var changed = 0
            for i in 0..<n {
                var best = 0, bestD = Double.infinity
                for c in 0..<k {
                    var s = 0.0
                    for j in 0..<d { let t = x[i * d + j] - centers[c * d + j]; s += t * t }
                    if s < bestD { bestD = s; best = c }
                }
                if labels[i] != Int32(best) { changed += 1; labels[i] = Int32(best) }
            }
            return changed
        }
        for _ in 0..<maxIterations {
            iterations += 1
            let changed = label()
            // Sums in the kernel's order: block by block (8,192 rows), blocks added in order.
            var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
            for b in stride(from: 0, to: n, by: KMeans.blockRows) {
                var part = [Double](repeating: 0, count: k * d)
                for i in b..<min(n, b + KMeans.blockRows) {
                    let c = Int(labels[i]); counts[c] += 1
                    for j in 0..<d { part[c * d + j] += x[i * d + j] }
                }
                for i in 0..<(k * d) { sums[i] += part[i] }
            }
            var next = centers, shift = 0.0
            for c in 0..<k where counts[c] > 0 { for j in 0..<d { next[c * d + j] = sums[c * d + j] / Double(counts[c]) } }
            for i in 0..<(k * d) { let t = next[i] - centers[i]; shift += t * t }
            centers = next
            if changed == 0 { strict = true; break }
            if shift <= tol { break }
        }
        if !strict { _ = label() }
        return (labels, centers, iterations)
    }

    /// The kernel skips distances with Hamerly's bounds and moves only the rows that change cluster in the sums; its
    /// labels and iterations must be plain Lloyd's exactly, and its centres up to rounding, on data with many
    /// iterations and several parallel blocks.
    func testBoundsGiveExactlyPlainLloyd() {
        var rng = SplitMix64(seed: 11)
        let n = 20_000, d = 3
        // Overlapping, skewed data: slow to converge.
        var x: [Double] = []
        for i in 0..<(n * d) {
            let u = rng.unit()
            let skewed: Double = -2 * Foundation.log(1 - u)
            let flat: Double = u + Double(i % 7) * 0.01
            x.append(i % d == 0 ? skewed : flat)
        }
        let initial = Array(x[0..<(6 * d)])
        let tol = KMeans.tolerance(x, rows: n, cols: d, tol: 1e-6)
        let fast = KMeans.lloyd(x, rows: n, cols: d, initial: initial, maxIterations: 300, tolerance: tol)
        let (labels, centers, iterations) = Self.naiveLloyd(x, n, d, initial, 300, tol)
        XCTAssertGreaterThan(iterations, 10, "enough iterations for the bounds to matter")
        XCTAssertEqual(fast.iterations, iterations)
        XCTAssertEqual(fast.labels, labels)
        for (a, b) in zip(fast.centers, centers) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b))) }
    }

    func testSilhouetteMatchesScikitLearn() throws {
        for c in try Self.fixture().cases {
            let s = Silhouette.score(c.x, rows: c.rows, cols: c.cols, labels: c.labels, k: c.k)
            XCTAssertEqual(try XCTUnwrap(s), try XCTUnwrap(c.silhouette), accuracy: 1e-12, c.name)
        }
        // A row alone in its cluster scores 0; fewer than two clusters has no silhouette.
        XCTAssertEqual(try XCTUnwrap(Silhouette.score([0, 1, 10], rows: 3, cols: 1, labels: [0, 0, 1], k: 2)),
                       ((10.0 - 1) / 10 + (9.0 - 1) / 9 + 0) / 3, accuracy: 1e-15)
        XCTAssertNil(Silhouette.score([0, 1, 2], rows: 3, cols: 1, labels: [0, 0, 0], k: 1))
    }

    func testSeededFitsAreDeterministicAndFindClearBlobs() {
        // 3 blobs of 7,000 rows each (several parallel blocks), in 2-D.
        var rng = SplitMix64(seed: 7)
        var x: [Double] = []
        for centre in [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)] {
            for _ in 0..<7000 { x += [centre.0 + rng.unit() * 2, centre.1 + rng.unit() * 2] }
        }
        let a = KMeans.fit(x, rows: 21000, cols: 2, k: 3, seed: 42)
        let b = KMeans.fit(x, rows: 21000, cols: 2, k: 3, seed: 42)
        XCTAssertEqual(a, b)
        XCTAssertEqual(Set(a.labels[0..<7000]).count, 1)
        XCTAssertEqual(Set(a.labels).count, 3)
        XCTAssertNotEqual(a.labels[0], a.labels[7000]); XCTAssertNotEqual(a.labels[7000], a.labels[14000])
        // Restarts keep the least inertia, so more restarts are never worse.
        XCTAssertLessThanOrEqual(KMeans.fit(x, rows: 21000, cols: 2, k: 5, seed: 1, restarts: 3).inertia,
                                 KMeans.fit(x, rows: 21000, cols: 2, k: 5, seed: 1, restarts: 1).inertia)
    }

    func testSplitMix64ReferenceValues() {
        // The reference implementation (Vigna's splitmix64.c) from state 0.
        var r = SplitMix64(seed: 0)
        XCTAssertEqual(r.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(r.next(), 0x6E78_9E6A_A1B9_65F4)
        var s = SplitMix64(seed: 3)
        let sample = s.sample(5, of: 100)
        XCTAssertEqual(sample.count, 5); XCTAssertEqual(Set(sample).count, 5); XCTAssertEqual(sample, sample.sorted())
        XCTAssertEqual(s.sample(10, of: 4), [0, 1, 2, 3])
    }

    func testHungarianOnHandCheckedMatrices() {
        // Rows → columns; the least total is 5 (row 0 → 1, row 1 → 0, row 2 → 2: 1 + 2 + 2).
        XCTAssertEqual(Hungarian.assign([4, 1, 3,
                                         2, 0, 5,
                                         3, 2, 2], rows: 3, cols: 3), [1, 0, 2])
        // The greedy choice (row 0 → column 0, cost 1) is wrong: 1 + 100 > 2 + 3.
        XCTAssertEqual(Hungarian.assign([1, 2,
                                         3, 100], rows: 2, cols: 2), [1, 0])
        // More columns than rows: the cheapest distinct columns.
        XCTAssertEqual(Hungarian.assign([9, 1, 9, 9,
                                         9, 1, 2, 9], rows: 2, cols: 4), [1, 2])
        // More rows than columns: one row stays unmatched (rows 0 → 1 and 1 → 0 cost 1 in all).
        XCTAssertEqual(Hungarian.assign([5, 1, 0, 9, 2, 2], rows: 3, cols: 2), [1, 0, -1])
        // A 4 × 4 case checked against every permutation.
        let cost: [Double] = [7, 53, 183, 439, 497, 383, 563, 79, 627, 343, 773, 959, 447, 283, 463, 29]
        let got = Hungarian.assign(cost, rows: 4, cols: 4)
        func total(_ p: [Int]) -> Double { p.enumerated().reduce(0) { $0 + cost[$1.offset * 4 + $1.element] } }
        var best = Double.infinity
        func permute(_ a: [Int], _ rest: [Int]) {
            if rest.isEmpty { best = min(best, total(a)); return }
            for (i, x) in rest.enumerated() { var r = rest; r.remove(at: i); permute(a + [x], r) }
        }
        permute([], [0, 1, 2, 3])
        XCTAssertEqual(total(got), best)
        XCTAssertEqual(Set(got).count, 4)
    }
}
