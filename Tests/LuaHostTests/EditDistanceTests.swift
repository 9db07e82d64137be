import XCTest
import LuaHost

final class EditDistanceTests: XCTestCase {
    func testEditDistance() {
        XCTAssertEqual(editDistance("", ""), 0)
        XCTAssertEqual(editDistance("", "abc"), 3)
        XCTAssertEqual(editDistance("abc", ""), 3)
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(editDistance("asign", "assign"), 1)
        XCTAssertEqual(editDistance("lifecyle", "lifecycle"), 1)
    }
}
