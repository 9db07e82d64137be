import CLuaSupport

/// Hands `ColumnInput`s to C without copying their values: pointers into the arrays stay valid for the
/// duration of `body`. Dictionary strings are packed once per call into one byte buffer.
enum ColumnBridge {
    /// Checks that every column has `rowCount` values (and validity words); a shorter column is a bug
    /// in the caller, and reading past it would be undefined behaviour.
    static func checkLengths(_ columns: [ColumnInput], rowCount: Int) {
        for column in columns {
            let count: Int
            switch column.values {
            case .integer(let a): count = a.count
            case .double(let a): count = a.count
            case .bool(let a): count = a.count
            case .string(let codes, _): count = codes.count
            }
            precondition(count >= rowCount, "LuaHost: column '\(column.name)' has \(count) values for \(rowCount) rows")
            if let validity = column.validity {
                precondition(validity.count * 64 >= rowCount,
                             "LuaHost: column '\(column.name)' has \(validity.count) validity words for \(rowCount) rows")
            }
        }
    }

    static func withDescriptors<R>(_ columns: [ColumnInput], _ body: ([sw_column]) -> R) -> R {
        var descriptors: [sw_column] = []
        descriptors.reserveCapacity(columns.count)
        func step(_ index: Int) -> R {
            guard index < columns.count else { return body(descriptors) }
            let column = columns[index]
            let name = Array(column.name.utf8CString)
            return name.withUnsafeBufferPointer { namePointer in
                withValidity(column.validity) { validity in
                    func add(_ type: Int, _ data: UnsafeRawPointer?, dictionary: UnsafePointer<CChar>? = nil,
                             offsets: UnsafePointer<Int64>? = nil, count: Int = 0) -> R {
                        descriptors.append(sw_column(
                            name: namePointer.baseAddress, name_len: name.count - 1, type: Int32(type), data: data,
                            validity: validity, dict_bytes: dictionary, dict_offsets: offsets, dict_count: Int64(count)))
                        return step(index + 1)
                    }
                    switch column.values {
                    case .integer(let values):
                        return values.withUnsafeBufferPointer { add(SW_COL_INTEGER, UnsafeRawPointer($0.baseAddress)) }
                    case .double(let values):
                        return values.withUnsafeBufferPointer { add(SW_COL_DOUBLE, UnsafeRawPointer($0.baseAddress)) }
                    case .bool(let values):
                        return values.withUnsafeBufferPointer { add(SW_COL_BOOL, UnsafeRawPointer($0.baseAddress)) }
                    case .string(let codes, let dictionary):
                        var bytes: [CChar] = []
                        var offsets: [Int64] = [0]
                        offsets.reserveCapacity(dictionary.count + 1)
                        for entry in dictionary {
                            bytes.append(contentsOf: entry.utf8.map { CChar(bitPattern: $0) })
                            offsets.append(Int64(bytes.count))
                        }
                        bytes.append(0) /* never empty: a valid pointer even for "" */
                        return codes.withUnsafeBufferPointer { codePointer in
                            bytes.withUnsafeBufferPointer { bytePointer in
                                offsets.withUnsafeBufferPointer { offsetPointer in
                                    add(SW_COL_STRING, UnsafeRawPointer(codePointer.baseAddress),
                                        dictionary: bytePointer.baseAddress, offsets: offsetPointer.baseAddress,
                                        count: dictionary.count)
                                }
                            }
                        }
                    }
                }
            }
        }
        return step(0)
    }

    private static func withValidity<R>(_ words: [UInt64]?, _ body: (UnsafePointer<UInt64>?) -> R) -> R {
        guard let words else { return body(nil) }
        return words.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
