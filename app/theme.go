package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"tawsim/assets"
)

var (
	naskhRegular = fyne.NewStaticResource("NotoNaskhArabic-Regular.ttf", assets.NaskhRegular)
	naskhBold    = fyne.NewStaticResource("NotoNaskhArabic-Bold.ttf", assets.NaskhBold)
	appIcon      = fyne.NewStaticResource("icon.png", assets.Icon)
)

// tawsimTheme is Fyne's default theme with the embedded Arabic font for
// text (Fyne falls back to its own Latin font for what Naskh lacks), a
// forced light or dark variant, a text size the user can change, and the
// interface size (View ▸ Interface size): every size, text, padding, icons
// and bars alike, times scale.
type tawsimTheme struct {
	variant  fyne.ThemeVariant
	textSize float32
	scale    float32 // 0 is 1
}

var _ fyne.Theme = (*tawsimTheme)(nil)

func newTheme(dark bool, textSize float32) *tawsimTheme {
	v := theme.VariantLight
	if dark {
		v = theme.VariantDark
	}
	return &tawsimTheme{variant: v, textSize: textSize}
}

func (t *tawsimTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, t.variant)
}

func (t *tawsimTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	if s.Bold {
		return naskhBold
	}
	return naskhRegular
}

func (t *tawsimTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *tawsimTheme) Size(n fyne.ThemeSizeName) float32 {
	size := theme.DefaultTheme().Size(n)
	if n == theme.SizeNameText && t.textSize > 0 {
		size = t.textSize
	}
	if t.scale > 0 {
		size *= t.scale
	}
	return size
}
