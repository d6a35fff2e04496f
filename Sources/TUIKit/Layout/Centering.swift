extension Rect {
    /// A `width` × `height` rectangle centred in this one (shrunk to fit).
    public func centered(width: Int, height: Int) -> Rect {
        let width = Swift.min(width, self.width), height = Swift.min(height, self.height)
        return Rect(x: x + (self.width - width) / 2, y: y + (self.height - height) / 2, width: width, height: height)
    }
}
