// swift-tools-version:5.10
import PackageDescription

let package = Package(
    name: "Segwork",
    products: [
        .executable(name: "seg", targets: ["seg"]),
        .library(name: "SegworkCore", targets: ["SegworkCore"]),
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
        // Everything that may raise a Lua error (longjmp) lives here, in C, never in a Swift frame.
        .target(name: "CLuaSupport", dependencies: ["CLua"]),
        // SHA-256 in C: the x86-64 SHA extensions when the CPU has them (chosen at run time), portable C otherwise.
        // Optimised even in debug builds, like SegworkCore: the tests hash real volumes.
        .target(name: "CHash", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        // Sandboxed plugin host: states, budgets, the seg.* API, the plugin contract.
        .target(name: "LuaHost", dependencies: ["CLua", "CLuaSupport"]),
        // Columnar table, readers, features, the pipeline, profiles and exports.
        .target(
            name: "SegworkCore",
            dependencies: ["LuaHost", "CSQLite", "CHash", "Yams"],
            // Optimised even in debug builds: `make demo` and the tests run the data paths (parsing, hashing,
            // statistics) on real volumes, and unoptimised Swift is 10-50x slower there.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // The thin command line.
        .executableTarget(
            name: "seg",
            dependencies: [
                "SegworkCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"]),
        .testTarget(name: "SegworkCoreTests", dependencies: ["SegworkCore", "LuaHost"]),
        .testTarget(name: "PluginTests", dependencies: ["LuaHost"]),
        .testTarget(name: "SegCLITests", dependencies: ["SegworkCore"]),
    ]
)
