package app

import (
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"tawsim/export"
)

// encodingItem is the Import dialog's Encoding row: the files' text
// encoding, UTF-8 unless chosen (Arabic text files still come in
// Windows-1256). The names are the CLI's --encoding values, not translated.
func (d *importDialog) encodingItem() *widget.FormItem {
	d.encoding = widget.NewSelect(export.EncodingNames(), nil)
	d.encoding.SetSelected(export.EncodingNames()[0])
	item := widget.NewFormItem(lang.L("Encoding"), d.encoding)
	item.HintText = lang.L("Arabic text files from Windows are often windows-1256")
	return item
}
