#if canImport(Glibc)
import Glibc
#endif

/// How `seg` asks the C allocator to hand memory back.
///
/// glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after which blocks of that size
/// come from the heap and stay in the process when freed. A run frees many large blocks (16 MiB read chunks, the
/// chunk columns of a read, a cleaning step's temporary arrays), so without a fixed threshold its resident memory
/// keeps the high-water mark of every phase: on a 300k-customer, 3.2 M-line workload (PERFORMANCE.md), 475 MB peak
/// instead of 314 MB. A fixed 1 MiB threshold makes each large array its own mapping, returned to the system when
/// freed. Set here, in the executable, not in the libraries: an app that embeds them keeps its own allocator
/// settings. A threshold the user sets (MALLOC_MMAP_THRESHOLD_, GLIBC_TUNABLES) wins. Not covered by a unit test
/// (the allocator's state is not observable from a test); bench/run.sh's peak RSS shows its effect.
enum MemoryPolicy {
    /// Applies the policy (Linux with glibc; nothing elsewhere).
    static func apply() {
        #if canImport(Glibc)
        // mallopt is in <malloc.h>, which Swift's Glibc module does not import: look it up (absent with another C
        // library, such as musl, where the policy does not apply). M_TRIM_THRESHOLD -1 and M_MMAP_THRESHOLD -3 are
        // glibc's fixed parameter numbers.
        // A threshold the user set for glibc (MALLOC_MMAP_THRESHOLD_, or glibc.malloc.mmap_threshold in
        // GLIBC_TUNABLES) wins.
        if getenv("MALLOC_MMAP_THRESHOLD_") != nil { return }
        if let tunables = getenv("GLIBC_TUNABLES"), String(cString: tunables).contains("mmap_threshold") { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 1 << 20)
        _ = mallopt(-1, 4 << 20)
        #endif
    }
}
