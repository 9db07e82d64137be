// Times Segwork's k-means kernel on a matrix file (bench/kmeans.py writes it): little-endian float64, row-major,
// `rows` × `cols`. Prints one JSON line: the fit's wall time in seconds, the seeding's alone (timed again
// after the fit), the fit's inertia and iterations.
// Usage: kmeans-bench <file> <rows> <cols> <k> <seed>
import Dispatch
import Foundation
import SegworkData

let args = CommandLine.arguments
guard args.count == 6, let rows = Int(args[2]), let cols = Int(args[3]), let k = Int(args[4]), let seed = UInt64(args[5]) else {
    FileHandle.standardError.write(Data("usage: kmeans-bench <file> <rows> <cols> <k> <seed>\n".utf8))
    exit(2)
}
guard let data = FileManager.default.contents(atPath: args[1]), data.count == rows * cols * 8 else {
    FileHandle.standardError.write(Data("kmeans-bench: \(args[1]) is not \(rows) × \(cols) float64 values\n".utf8))
    exit(2)
}
let x = data.withUnsafeBytes { raw in (0..<(rows * cols)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) } }
let start = DispatchTime.now().uptimeNanoseconds
let fit = KMeans.fit(x, rows: rows, cols: cols, k: k, seed: seed)
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
// The seeding alone, timed again (same seed, same centres), to show where the time goes.
var rng = SplitMix64(seed: seed)
let seedStart = DispatchTime.now().uptimeNanoseconds
_ = KMeansSeeding.plusPlus(x, rows: rows, cols: cols, k: k, rng: &rng)
let seeding = Double(DispatchTime.now().uptimeNanoseconds - seedStart) / 1e9
print("{\"seconds\": \(seconds), \"seeding\": \(seeding), \"inertia\": \(fit.inertia), \"iterations\": \(fit.iterations)}")
