// swift-tools-version:6.0
import PackageDescription

// The module chain follows the data flow; each target may use only those before it, so the compiler keeps the
// direction (docs/ARCHITECTURE.md has the diagram):
//
//   CLua, CSQLite, CHash, CPostgres (system and C libraries)
//   CLuaSupport  → LuaHost            the sandboxed plugin host (every raising Lua call lives in C)
//   SegworkData  (LuaHost, CHash)     table, readers, statistics, formatting, hashing, byte order
//   SegworkPostgres (SegworkData, CPostgres)  the PostgreSQL client: connect, describe, COPY out
//   SegworkCore  (SegworkData, …)     definitions, features, cleaning, criteria, profiles, exports, store, history
//   seg          (SegworkCore, …)     the thin command line
//
// No unsafe flags: the package can be a versioned dependency of other packages. The tests run in release with
// `-enable-testing` instead (see the Makefile), because the data paths are 10-50x slower unoptimised.
let package = Package(
    name: "Segwork",
    products: [
        .executable(name: "seg", targets: ["seg"]),
        .library(name: "SegworkCore", targets: ["SegworkCore"]),
        .library(name: "SegworkData", targets: ["SegworkData"]),
        .library(name: "LuaHost", targets: ["LuaHost"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Lua 5.4 from the system (Debian: liblua5.4-dev), with a shim header for its macros.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // SQLite 3 from the system (Debian: libsqlite3-dev): the workspace's version store.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libpq from the system (Debian: libpq-dev): PostgreSQL datasets.
        .systemLibrary(
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Everything that may raise a Lua error (longjmp) lives here, in C, never in a Swift frame.
        .target(name: "CLuaSupport", dependencies: ["CLua"]),
        // SHA-256 in C: the x86-64 SHA extensions when the CPU has them (chosen at run time), portable C otherwise.
        .target(name: "CHash"),
        // Sandboxed plugin host: states, budgets, the seg.* API, the plugin contract.
        .target(name: "LuaHost", dependencies: ["CLua", "CLuaSupport"]),
        // The data layer: columnar table, file readers, column statistics, hashing, byte order, progress.
        .target(name: "SegworkData", dependencies: ["LuaHost", "CHash"]),
        // The PostgreSQL client a dataset reads through: one read-only connection, column types, COPY out.
        .target(name: "SegworkPostgres", dependencies: ["SegworkData", "CPostgres"]),
        // The workflow: definitions, features, cleaning, criteria and scorers, profiles, exports, the store,
        // history, diffs, gates and privacy.
        .target(name: "SegworkCore", dependencies: ["SegworkData", "SegworkPostgres", "LuaHost", "CSQLite", "Yams"]),
        // The thin command line.
        .executableTarget(
            name: "seg",
            dependencies: [
                "SegworkCore", "SegworkData", "LuaHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Times the k-means kernel for bench/kmeans.py (docs/PERFORMANCE.md, "k-means (issue 10)"). Not a product.
        .executableTarget(name: "kmeans-bench", dependencies: ["SegworkData"], path: "bench/kmeans-bench"),
        .executableTarget(name: "dedupe-bench", dependencies: ["SegworkData"], path: "bench/dedupe-bench"),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"]),
        .testTarget(name: "SegworkCoreTests", dependencies: ["SegworkCore", "SegworkData", "LuaHost"]),
        .testTarget(name: "PluginTests", dependencies: ["LuaHost"]),
        // Runs the built `seg`, so it depends on it.
        .testTarget(name: "SegCLITests", dependencies: ["seg", "SegworkCore", "SegworkData"]),
    ],
    swiftLanguageModes: [.v6]
)
