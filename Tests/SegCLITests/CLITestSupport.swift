import Foundation
import XCTest

/// Runs the built `seg` binary in a subprocess, as a user would.
struct SegProcess {
    /// Repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `seg` executable next to the test bundle.
    static var binary: URL {
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("seg"),
                          root.appendingPathComponent(".build/debug/seg")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `seg args…` in `cwd` and waits (the plugins' own limits keep this short); `executable` runs another
    /// program instead (a shell that starts seg with its standard streams changed).
    static func run(_ args: [String], cwd: URL? = nil, environment: [String: String] = [:],
                    executable: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = executable ?? binary
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SEG_PLUGIN_PATH")
        // CI runs the suite with CI=true, which makes `seg run` headless; tests that want that set it themselves.
        env.removeValue(forKey: "CI")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        // Output goes to files, so a chatty process can never block on a full pipe.
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("seg-out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("seg-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close(); try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A throwaway workspace in a temporary folder, using the bundled plugin library.
struct TempWorkspace {
    let root: URL

    /// Creates a workspace with `files` (relative path → contents) and a workspace.yaml that searches its own
    /// plugins/ and then the bundled library.
    init(files: [String: String], limits: String = "") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("segcli-\(UUID().uuidString)")
        let bundled = SegProcess.root.appendingPathComponent("plugins").path
        var all = files
        if all["workspace.yaml"] == nil {
            all["workspace.yaml"] = "name: t\nplugins: [plugins, \(bundled)]\n\(limits)"
        }
        for (path, text) in all {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    /// A copy of the demo workspace (data, definitions), pointing at the bundled plugins.
    static func demoCopy() throws -> TempWorkspace {
        let demo = SegProcess.root.appendingPathComponent("workspaces/demo")
        var files: [String: String] = [:]
        for sub in ["data", "segmentations"] {
            let dir = demo.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                files["\(sub)/\(name)"] = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            }
        }
        return try TempWorkspace(files: files)
    }

    /// Every file under exports/, relative paths, sorted.
    func exportedFiles() -> [String] {
        let dir = root.appendingPathComponent("exports")
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        return e.compactMap { $0 as? String }.filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path, isDirectory: &isDir)
                && !isDir.boolValue
        }.sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
