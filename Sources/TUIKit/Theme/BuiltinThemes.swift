/// The built-in themes, so the console works without any theme files. The texts are the same as
/// `themes/default-dark.theme` and `themes/mono.theme` (a test checks that they parse alike).
extension Theme {
    /// The default theme (default-dark); it has a style for every role.
    public static let builtinDefault: Theme = parseBuiltin(name: "default-dark", text: builtinDefaultText)

    /// The attributes-only theme (mono); it has a style for every role.
    public static let builtinMono: Theme = parseBuiltin(name: "mono", text: builtinMonoText)

    /// A built-in theme by name: `default`, `default-dark` or `mono`.
    public static func builtin(named name: String) -> Theme? {
        switch name {
        case "default", "default-dark": builtinDefault
        case "mono": builtinMono
        default: nil
        }
    }

    private static func parseBuiltin(name: String, text: String) -> Theme {
        var plain = Theme(name: "plain", styles: [:], basicStyles: [:])
        for role in StyleRole.allCases { plain.set(role, RoleStyle()) }
        return ThemeLoader.parse(text, file: "<built-in \(name)>", name: name, base: plain).theme
    }

    /// The text of `themes/default-dark.theme`.
    public static let builtinDefaultText = """
        normal         = none
        dim            = fg:245/white dim
        border         = fg:240/white
        border.focused = fg:117/cyan bold
        title          = fg:231/white bold
        header         = fg:214/yellow bold
        selection      = fg:16/black bg:117/cyan
        marked         = fg:213/magenta bold
        key.hint       = fg:250/white
        key.name       = fg:117/cyan bold
        flash.info     = fg:114/green
        flash.error    = fg:203/red bold
        danger         = fg:231/white bg:160/red bold
        stale          = fg:242/white dim
        prod.frame     = fg:203/red bold

        state.running  = fg:114/green
        state.waiting  = fg:221/yellow
        state.done     = fg:245/white
        state.failed   = fg:203/red bold
        state.killed   = fg:176/magenta

        meter.ok       = fg:114/green
        meter.warn     = fg:221/yellow
        meter.crit     = fg:203/red bold
        meter.empty    = fg:238/default dim
        target.marker  = fg:231/white bold

        input.field    = fg:231/white bg:237/default underline
        input.error    = fg:203/red underline
        button         = fg:250/white
        button.focused = fg:16/black bg:117/cyan bold
        """

    /// The text of `themes/mono.theme`.
    public static let builtinMonoText = """
        normal         = none
        dim            = dim
        border         = none
        border.focused = bold
        title          = bold
        header         = bold underline
        selection      = reverse
        marked         = bold underline
        key.hint       = dim
        key.name       = bold
        flash.info     = none
        flash.error    = bold reverse
        danger         = bold reverse
        stale          = dim
        prod.frame     = bold

        state.running  = bold
        state.waiting  = none
        state.done     = dim
        state.failed   = bold underline
        state.killed   = dim underline

        meter.ok       = none
        meter.warn     = bold
        meter.crit     = bold reverse
        meter.empty    = dim
        target.marker  = bold

        input.field    = underline
        input.error    = bold underline
        button         = none
        button.focused = reverse bold
        """
}
