import Foundation
import LuaHost
import SegworkData

/// A plugin to test: its file and the test file beside it (`criteria/nps.lua` → `criteria/nps.test.lua`).
package struct PluginUnderTest: Sendable {
    /// The plugin's name (its file's base name).
    package var name: String
    /// The plugin file.
    package var file: URL
    /// How messages name the plugin file (`criteria/nps.lua`, `plugins/tier.lua`): never an absolute path.
    package var shown: String
    /// Where its `require` looks (its library's `lib/`, the bundled `lib/`); nil: the runner's.
    package var libraryPaths: [String]? = nil
    /// How messages name them (`bundled:lib`); nil: the paths.
    package var libraryLabels: [String]? = nil
    /// `<base>.test.lua` beside the plugin file.
    package var testFile: URL {
        file.deletingPathExtension().appendingPathExtension("test").appendingPathExtension("lua")
    }
    /// How messages name the test file.
    package var testShown: String { String(shown.dropLast(4)) + ".test.lua" }

    package init(name: String, file: URL, shown: String, libraryPaths: [String]? = nil) {
        self.name = name; self.file = file; self.shown = shown; self.libraryPaths = libraryPaths
    }
}

/// The outcome of one case.
package struct PluginTestCaseResult: Sendable {
    /// The case's name.
    package var name: String
    /// nil when it passed; else what was expected and what happened.
    package var failure: (expected: String, actual: String)?
}

/// The outcome of one plugin's test file.
package struct PluginTestSuite: Sendable {
    /// The plugin's name.
    package var plugin: String
    /// The plugin file as shown.
    package var file: String
    /// The test file as shown.
    package var testFile: String
    /// Whether the plugin has a test file.
    package var hasTests: Bool
    /// A test file (or plugin) that could not be loaded or read: counts as one failure.
    package var error: String?
    /// The cases, in file order.
    package var cases: [PluginTestCaseResult]

    /// Failed cases, plus one for an `error`.
    package var failed: Int { cases.filter { $0.failure != nil }.count + (error == nil ? 0 : 1) }
    /// Passed cases.
    package var passed: Int { cases.filter { $0.failure == nil }.count }
}

/// Runs plugins' own tests (`*.test.lua` beside each plugin) in the real sandbox with the real limits. Each case
/// gets a freshly loaded plugin, so no case sees another's writes to globals or to `p`. See docs/PLUGINS.md,
/// "Testing plugins", for the file format.
package struct PluginTestRunner: Sendable {
    /// The limits every call runs under (the workspace's, or `LuaLimits.default`).
    package var limits: LuaLimits
    /// Where `require` looks (the library's `lib/`, the bundled `lib/`).
    package var libraryPaths: [String]

    package init(limits: LuaLimits, libraryPaths: [String]) { self.limits = limits; self.libraryPaths = libraryPaths }

    /// Runs the test file of `plugin`.
    package func run(_ plugin: PluginUnderTest) -> PluginTestSuite {
        var suite = PluginTestSuite(plugin: plugin.name, file: plugin.shown, testFile: plugin.testShown,
                                    hasTests: FileManager.default.fileExists(atPath: plugin.testFile.path), cases: [])
        guard suite.hasTests else { return suite }
        let env = environment(for: plugin)
        let manifest: PluginManifest
        let cases: [PluginTestCase]
        do {
            manifest = try Plugin.load(path: plugin.file.path, environment: env, chunkName: plugin.shown).manifest
        } catch {
            suite.error = "the plugin does not load: \(ExitStatus.message(for: error))"
            return suite
        }
        do {
            let value = try PluginDataFile.load(path: plugin.testFile.path, environment: env, chunkName: plugin.testShown)
            cases = try PluginTestFileParser(file: plugin.testShown, kind: manifest.kind).cases(from: value)
        } catch {
            suite.error = ExitStatus.message(for: error)
            return suite
        }
        let fixtures = FixtureCache()
        for c in cases {
            if case .invalid(let problem) = c.expect {
                suite.cases.append(PluginTestCaseResult(name: c.name, failure: ("a well-formed case", problem)))
                continue
            }
            let actual = outcome(of: c, plugin: plugin, manifest: manifest, environment: env, fixtures: fixtures)
            suite.cases.append(PluginTestCaseResult(name: c.name, failure: PluginTestVerdict.compare(c.expect, actual)))
        }
        return suite
    }

    /// Sources read files inside the test file's folder, so `params = { file = "fixtures/x.txt" }` is relative to it.
    private func environment(for plugin: PluginUnderTest) -> PluginEnvironment {
        var env = PluginEnvironment(limits: limits, libraryPaths: plugin.libraryPaths ?? libraryPaths,
                                    fileRoot: plugin.file.deletingLastPathComponent().path, randomSeed: 0)
        env.libraryLabels = plugin.libraryLabels ?? []
        return env
    }

    /// What the plugin did for one case.
    private func outcome(of c: PluginTestCase, plugin: PluginUnderTest, manifest: PluginManifest,
                         environment base: PluginEnvironment, fixtures: FixtureCache) -> PluginTestActual {
        var environment = base
        environment.frozenTime = c.asOf
        do {
            let loaded = try Plugin.load(path: plugin.file.path, environment: environment, chunkName: plugin.shown)
            try loaded.configure(overrides: c.params)
            if manifest.kind == .source { return .records(try records(loaded.read())) }
            let fields = manifest.uses
            if let stray = c.row.keys.sorted().first(where: { !fields.contains($0) }) {
                return .problem("row field '\(stray)' is not in the plugin's uses (\(fields.joined(separator: ", "))), so the plugin never sees it")
            }
            // The row is typed by its own values (9 stays an integer, as in a column of whole numbers), the fixture
            // by its values; a field the row leaves out takes the fixture's type.
            let fixtureTypes = try fixtures.types(c, fields)
            var types = try PluginTestRows.types(of: fields, in: [c.row])
            for f in fields where (c.row[f] ?? .null) == .null { types[f] = fixtureTypes[f] }
            if manifest.hasPrepare {
                let columns = fixtures.columns(c, fields, fixtureTypes)
                _ = try PluginLoader.prepare(loaded, columns: columns, personal: [])
            }
            let inputs = fields.map { PluginTestRows.column($0, type: types[$0]!, rows: [c.row]).pluginInput(as: $0) }
            switch manifest.kind {
            case .criterion:
                let a = try loaded.assign(columns: inputs, rowCount: 1)
                return a.codes[0] < 0 ? .none : .label(a.labels[Int(a.codes[0])])
            case .scorer:
                let s = try loaded.score(columns: inputs, rowCount: 1)
                return s.valid[0] ? .score(s.values[0]) : .none
            case .cleaner:
                let dates = Set(fields.filter { types[$0] == .date })
                let out = try loaded.clean(columns: inputs, rowCount: 1, dates: dates)
                guard out.keep[0] else { return .dropped }
                var row: [String: PluginValue] = [:]
                for col in out.columns {
                    let v = PluginTestRows.value(col.values, valid: col.valid[0], at: 0)
                    if v != .null { row[col.name] = v }
                }
                return .cleaned(row)
            case .source:
                return .problem("unreachable")
            }
        } catch let problem as PluginTestRows.Problem {
            return .problem(problem.description)
        } catch {
            return .error(ExitStatus.message(for: error))
        }
    }

    private func records(_ output: SourceOutput) -> [[String: PluginValue]] {
        let count = output.values.first?.count ?? 0
        return (0..<count).map { r in
            var record: [String: PluginValue] = [:]
            for (c, name) in output.names.enumerated() { record[name] = output.values[c][r] }
            return record
        }
    }
}

/// A fixture's column types and columns, computed once per fixture (`PluginTestCase.fixtureKey`) rather than once per
/// case: the default fixture is every case's rows, so per case it would make a file of n cases cost n².
private final class FixtureCache {
    private var types: [Int: [String: ColumnType]] = [:]
    private var columns: [Int: [(String, Column)]] = [:]

    func types(_ c: PluginTestCase, _ fields: [String]) throws -> [String: ColumnType] {
        if let t = types[c.fixtureKey] { return t }
        let t = try PluginTestRows.types(of: fields, in: c.fixture)
        types[c.fixtureKey] = t
        return t
    }

    func columns(_ c: PluginTestCase, _ fields: [String], _ types: [String: ColumnType]) -> [(String, Column)] {
        if let cols = columns[c.fixtureKey] { return cols }
        let cols = fields.map { ($0, PluginTestRows.column($0, type: types[$0]!, rows: c.fixture)) }
        columns[c.fixtureKey] = cols
        return cols
    }
}
