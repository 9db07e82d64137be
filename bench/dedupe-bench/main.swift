// Times the grouping kernel of the `dedupe` cleaning step (RowGroups.leaders, which finds each row's first equal
// row on the key columns) on a CSV file, read first as `seg run` reads it with the benchmark's schema (order_id
// integer, order_date date, amount double, every other column text). Prints one JSON line: rows, key columns,
// the median, minimum and maximum wall seconds of `runs` calls, their median CPU seconds (all threads), and how many
// rows repeat an earlier row.
// Usage: dedupe-bench <file.csv> [runs]     (bench/run.sh leaves bench/data/realistic-<size>/data/transactions.csv)
import Dispatch
import Foundation
import SegworkData

let args = CommandLine.arguments
guard args.count == 2 || args.count == 3, let runs = args.count == 3 ? Int(args[2]) : 5, runs > 0 else {
    FileHandle.standardError.write(Data("usage: dedupe-bench <file.csv> [runs]\n".utf8))
    exit(2)
}
var options = ReadOptions(schema: ["order_id": .integer, "order_date": .date, "amount": .double])
options.textColumns = ["customer_id"]
let table: Table
do { table = try DataReader.read(path: args[1], options: options) } catch {
    FileHandle.standardError.write(Data("dedupe-bench: \(error)\n".utf8))
    exit(1)
}
let keys = table.columnNames.map { table[$0]! }
/// CPU seconds of the process so far (every thread).
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
var times: [Double] = []
var cpu: [Double] = []
var duplicates = 0
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuSeconds()
    let leader = RowGroups.leaders(keys)
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    cpu.append(cpuSeconds() - cpuStart)
    duplicates = leader.indices.filter { leader[$0] >= 0 && Int(leader[$0]) != $0 }.count
}
times.sort()
cpu.sort()
print("{\"rows\": \(table.rowCount), \"columns\": \(keys.count), \"cores\": \(ProcessInfo.processInfo.activeProcessorCount), \"median\": \(times[runs / 2]), \"min\": \(times[0]), \"max\": \(times[runs - 1]), \"median_cpu\": \(cpu[runs / 2]), \"duplicates\": \(duplicates)}")
