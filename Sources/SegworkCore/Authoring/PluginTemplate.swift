import Foundation
import LuaHost
import SegworkData

/// `seg plugins new KIND NAME`: a commented plugin of that kind and a test file whose cases pass as written.
package enum PluginTemplate {
    /// The folder each kind lives in inside a library or a workspace's `plugins/`.
    package static let folders: [PluginKind: String] = [.criterion: "criteria", .scorer: "scorers",
                                                        .source: "sources", .cleaner: "cleaners"]

    /// Writes the files for a new plugin into `library` and returns their paths (relative to `library`), in the order
    /// written. Refuses (exit 2) a bad kind or name, or any file that already exists, before writing anything.
    package static func create(kind kindText: String, name: String, in library: URL) throws -> [String] {
        let kinds = PluginKind.allCases.map(\.rawValue)
        guard let kind = PluginKind(rawValue: kindText) else {
            let hint = closest(kindText, kinds + ["criteria", "scorers", "sources", "cleaners"]).map { word in
                "did you mean '\(kinds.first { folders[PluginKind(rawValue: $0)!] == word } ?? word)'? "
            } ?? ""
            throw AuthoringError("unknown plugin kind '\(kindText)'; \(hint)kinds: \(kinds.joined(separator: ", "))")
        }
        guard name.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil else {
            throw AuthoringError("'\(name)' is not a plugin name: use a lower-case letter, then lower-case letters, "
                + "digits or _ (e.g. \(suggestedName(name))); definitions name the plugin by it")
        }
        let folder = folders[kind]!
        var files = [("\(folder)/\(name).lua", plugin(kind, name)), ("\(folder)/\(name).test.lua", tests(kind, name))]
        if kind == .source {
            files.append(("\(folder)/fixtures/\(name).txt", "# customer_id;amount\nC001;12.5\nC002;\nC003 ; 7\n"))
            files.append(("\(folder)/fixtures/\(name)_bad.txt", "C004;lots\n"))
        }
        let fm = FileManager.default
        for (path, _) in files where fm.fileExists(atPath: library.appendingPathComponent(path).path) {
            throw AuthoringError("\(library.appendingPathComponent(path).relativeDisplay) already exists; "
                + "nothing was written (choose another name, or remove the file)")
        }
        if let other = PluginCatalog.pluginFiles(in: library).first(where: { $0.0.deletingPathExtension().lastPathComponent == name })?.0 {
            throw AuthoringError("a plugin named '\(name)' already exists: \(other.relativeDisplay); "
                + "nothing was written (plugin names must be unique in a library)")
        }
        var written: [URL] = []
        for (path, text) in files {
            let url = library.appendingPathComponent(path)
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                written.append(url)
            } catch {
                let reason = String(cString: strerror(errno))
                written.forEach { try? fm.removeItem(at: $0) }  // all of the plugin's files, or none
                throw AuthoringError("\(url.relativeDisplay) could not be written (\(reason)); nothing was written; "
                    + "check that \(library.relativeDisplay) is a folder you can write to", status: .runFailed)
            }
        }
        return files.map(\.0)
    }

    private static func suggestedName(_ s: String) -> String {
        var out = s.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        while out.first.map({ !$0.isLetter }) ?? false { out.removeFirst() }
        return out.isEmpty || !out.allSatisfy({ $0.isASCII }) ? "my_plugin" : out
    }

    static func plugin(_ kind: PluginKind, _ name: String) -> String {
        let text: String
        switch kind {
        case .criterion: text = criterion
        case .scorer: text = scorer
        case .cleaner: text = cleaner
        case .source: text = source
        }
        return text.replacingOccurrences(of: "NAME", with: name)
    }

    static func tests(_ kind: PluginKind, _ name: String) -> String {
        let header = "-- Cases for NAME: run them with `seg plugins test NAME` (see docs/PLUGINS.md, \"Testing plugins\").\n"
        let text: String
        switch kind {
        case .criterion: text = criterionTests
        case .scorer: text = scorerTests
        case .cleaner: text = cleanerTests
        case .source: text = sourceTests
        }
        return (header + text).replacingOccurrences(of: "NAME", with: name)
    }

    static let criterion = #"""
    -- NAME: High or Low customers by amount. (Say in one line what it does.)
    --
    -- Rules (write them here, so a reader does not have to read the code):
    --   amount >= threshold  -> "High"
    --   amount <  threshold  -> "Low"
    --   amount missing       -> nil (unassigned)

    return {
      api = 1,                    -- host API level
      kind = "criterion",         -- assign(row, p) returns a label or nil
      name = "NAME",              -- must match the file name; definitions use it
      version = "0.1.0",
      description = "High or Low by amount",
      uses = { "amount" },        -- the only columns row holds (a definition maps its columns to these)
      params = {
        threshold = 100,          -- amounts at or above this are High (a definition may override it)
      },

      assign = function(row, p)
        local amount = row.amount
        if amount == nil then return nil end
        if amount >= p.threshold then return "High" end
        return "Low"
      end,
    }

    """#

    static let criterionTests = #"""
    return {
      { name = "at the threshold", row = { amount = 100 }, label = "High" },
      { name = "just below", row = { amount = 99.5 }, label = "Low" },
      { name = "missing amount", row = {}, none = true },
      { name = "threshold override", row = { amount = 50 }, params = { threshold = 50 }, label = "High" },
      { name = "a threshold of the wrong type", row = { amount = 1 }, params = { threshold = "high" },
        error = "must be a number" },
    }

    """#

    static let scorer = #"""
    -- NAME: amount as a share of the largest amount, 0 to `scale`.
    --
    --   score = scale * amount / largest amount of the data (from `prepare`'s statistics)
    --   amount missing, or no positive largest amount -> nil (no score)

    return {
      api = 1,
      kind = "scorer",            -- score(row, p) returns a number or nil
      name = "NAME",
      version = "0.1.0",
      description = "Amount as a share of the largest amount",
      uses = { "amount" },
      output = "NAME",            -- the column the score is written to
      params = {
        scale = 100,              -- the score of the largest amount
      },

      -- Runs once before any row, on statistics of the whole column; what it returns is merged into p.
      prepare = function(stats, _)
        return { largest = stats.amount.max or 0 }
      end,

      score = function(row, p)
        if row.amount == nil or p.largest <= 0 then return nil end
        return p.scale * row.amount / p.largest
      end,
    }

    """#

    static let scorerTests = #"""
    return {
      -- prepare sees the statistics of these rows (the largest amount is 200)
      fixture = { { amount = 50 }, { amount = 200 }, {} },
      cases = {
        { name = "half the largest", row = { amount = 100 }, score = 50 },
        { name = "the largest", row = { amount = 200 }, score = 100 },
        { name = "a third, within a tolerance", row = { amount = 66.67 }, score = 33.33, tolerance = 0.01 },
        { name = "missing amount", row = {}, none = true },
        { name = "scale override", row = { amount = 100 }, params = { scale = 10 }, score = 5 },
      },
    }

    """#

    static let cleaner = #"""
    -- NAME: e-mail addresses trimmed and lower-cased, so equal addresses compare equal.
    --
    --   " Ann@Example.COM " -> "ann@example.com"
    --   blank               -> missing (with drop_blank = true the row is dropped)
    --   missing             -> stays missing
    -- Other columns are never touched (the plugin uses only `email`).

    return {
      api = 1,
      kind = "cleaner",           -- clean(row, p) returns the row (changed) or nil to drop it
      name = "NAME",
      version = "0.1.0",
      description = "E-mail addresses trimmed and lower-cased",
      uses = { "email" },
      params = {
        drop_blank = false,       -- true: drop rows whose email is blank instead of making it missing
      },

      clean = function(row, p)
        if row.email == nil then return row end
        local email = seg.trim(row.email):lower()
        if email == "" then
          if p.drop_blank then return nil end
          row.email = nil
          return row
        end
        row.email = email
        return row
      end,
    }

    """#

    static let cleanerTests = #"""
    return {
      { name = "trimmed and lower-cased", row = { email = " Ann@Example.COM " }, cleaned = { email = "ann@example.com" } },
      { name = "blank becomes missing", row = { email = "   " }, cleaned = {} },
      { name = "blank row dropped", row = { email = "" }, params = { drop_blank = true }, dropped = true },
      { name = "missing stays missing", row = {}, cleaned = {} },
    }

    """#

    static let source = #"""
    -- NAME: reads "customer_id;amount" lines from a text file inside the workspace.
    --
    --   # comment lines and blank lines are skipped
    --   C001;12.5      <- fields are trimmed; an empty amount is missing
    -- Any other line is an error naming its 1-based line number.

    local function fail(n, message) error(string.format("NAME: line %d: %s", n, message), 0) end

    return {
      api = 1,
      kind = "source",            -- read(src, p) emits records with src:emit
      name = "NAME",
      version = "0.1.0",
      description = "customer_id;amount lines from a text file",
      columns = {
        { name = "customer_id", type = "string" },
        { name = "amount", type = "double" },
      },
      params = {
        file = "data/NAME.txt",   -- path inside the workspace
      },

      read = function(src, p)
        local n = 0
        for line in src:lines(p.file) do
          n = n + 1
          line = seg.trim(line)
          if line ~= "" and line:sub(1, 1) ~= "#" then
            local fields = seg.split(line, ";")
            if #fields ~= 2 then fail(n, "expected 2 fields separated by ';', got " .. #fields) end
            local id, text = seg.trim(fields[1]), seg.trim(fields[2])
            local amount = nil
            if text ~= "" then
              amount = tonumber(text)
              if amount == nil then fail(n, "amount '" .. text .. "' is not a number") end
            end
            src:emit({ customer_id = id, amount = amount })
          end
        end
      end,
    }

    """#

    static let sourceTests = #"""
    -- Paths in params are inside this file's folder.
    return {
      { name = "reads every record", params = { file = "fixtures/NAME.txt" },
        records = {
          { customer_id = "C001", amount = 12.5 },
          { customer_id = "C002" },               -- empty amount: missing
          { customer_id = "C003", amount = 7 },
        } },
      { name = "a bad amount names its line", params = { file = "fixtures/NAME_bad.txt" },
        error = "line 1: amount 'lots' is not a number" },
    }

    """#
}

extension URL {
    /// The path relative to the current folder when inside it, else the full path: how a file is named to the user.
    var relativeDisplay: String {
        let cwd = FileManager.default.currentDirectoryPath
        let p = standardizedFileURL.path
        return p.hasPrefix(cwd + "/") ? String(p.dropFirst(cwd.count + 1)) : p
    }
}
