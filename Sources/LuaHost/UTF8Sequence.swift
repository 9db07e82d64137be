/// The length of the well-formed UTF-8 sequence at `i` of the `n` bytes at `base` as a positive number, or, when
/// the bytes there are ill-formed, the length of their maximal subpart (the longest prefix of some well-formed
/// sequence, at least one byte) as a negative number (Unicode table 3-7). NUL is a well-formed one-byte sequence.
/// The one UTF-8 check of the readers (`ByteScan`) and of the terminal sanitiser (`TerminalText`).
@inlinable @inline(__always)
public func utf8SequenceLength(_ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
    let b = base[i]
    if b < 0x80 { return 1 }
    let need: Int
    var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
    switch b {
    case 0xC2...0xDF: need = 1
    case 0xE0: need = 2; lo = 0xA0
    case 0xE1...0xEC, 0xEE, 0xEF: need = 2
    case 0xED: need = 2; hi = 0x9F
    case 0xF0: need = 3; lo = 0x90
    case 0xF1...0xF3: need = 3
    case 0xF4: need = 3; hi = 0x8F
    default: return -1
    }
    guard i + 1 < n, base[i + 1] >= lo, base[i + 1] <= hi else { return -1 }
    var k = 2
    while k <= need {
        guard i + k < n, base[i + k] & 0xC0 == 0x80 else { return -k }
        k += 1
    }
    return need + 1
}
