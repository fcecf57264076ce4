/** Small vector charts for the PDF report: stacked bars per day and a line per day, with axis labels. */

export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
}

export interface BarSeries {
  name: string;
  color: string;
  values: number[];
}

const AXIS = '#9e9e9e';
const LABEL = '#555555';
const PLOT_TOP = 16;
const PLOT_BOTTOM = 14;
const PLOT_LEFT = 40;

function frame(doc: PDFKit.PDFDocument, box: ChartBox, labels: string[], max: number) {
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#000000').text(box.title, box.x, box.y, { lineBreak: false });
  const plot = { x: box.x + PLOT_LEFT, y: box.y + PLOT_TOP, width: box.width - PLOT_LEFT, height: box.height - PLOT_TOP - PLOT_BOTTOM };
  doc.save().lineWidth(0.5).strokeColor(AXIS);
  doc
    .moveTo(plot.x, plot.y)
    .lineTo(plot.x, plot.y + plot.height)
    .lineTo(plot.x + plot.width, plot.y + plot.height)
    .stroke();
  doc.restore();
  doc.font('Helvetica').fontSize(7).fillColor(LABEL);
  const top = max % 1 === 0 ? String(max) : max.toFixed(1);
  doc.text(top, box.x, plot.y - 3, { width: PLOT_LEFT - 4, align: 'right', lineBreak: false });
  doc.text('0', box.x, plot.y + plot.height - 4, { width: PLOT_LEFT - 4, align: 'right', lineBreak: false });
  if (labels.length > 0) {
    doc.text(labels[0]!, plot.x, plot.y + plot.height + 3, { lineBreak: false });
    if (labels.length > 1)
      doc.text(labels.at(-1)!, plot.x + plot.width - 60, plot.y + plot.height + 3, { width: 60, align: 'right', lineBreak: false });
  }
  doc.fillColor('#000000');
  return plot;
}

/** Stacked bars, one per label; a legend names the series. */
export function drawBarChart(doc: PDFKit.PDFDocument, box: ChartBox, labels: string[], series: BarSeries[]): void {
  const totals = labels.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plot = frame(doc, box, labels, max);
  const slot = plot.width / Math.max(1, labels.length);
  const barWidth = Math.max(0.5, slot * 0.8);
  labels.forEach((_, i) => {
    let base = plot.y + plot.height;
    for (const s of series) {
      const value = s.values[i] ?? 0;
      if (value <= 0) continue;
      const h = (value / max) * plot.height;
      doc.rect(plot.x + i * slot + (slot - barWidth) / 2, base - h, barWidth, h).fill(s.color);
      base -= h;
    }
  });
  if (series.length > 1) {
    let x = box.x + 200;
    doc.font('Helvetica').fontSize(7);
    for (const s of series) {
      doc.rect(x, box.y + 2, 6, 6).fill(s.color);
      doc.fillColor(LABEL).text(s.name, x + 9, box.y + 1, { lineBreak: false });
      x += 9 + doc.widthOfString(s.name) + 12;
    }
    doc.fillColor('#000000');
  }
}

/** A line through the days that have a value (gaps where a day has none). */
export function drawLineChart(doc: PDFKit.PDFDocument, box: ChartBox, labels: string[], values: Array<number | null>, color: string): void {
  const present = values.filter((v): v is number => v !== null);
  const max = present.length > 0 ? Math.max(...present) * 1.1 || 1 : 1;
  const plot = frame(doc, box, labels, Number(max.toFixed(1)));
  const step = labels.length > 1 ? plot.width / (labels.length - 1) : 0;
  doc.save().lineWidth(1.2).strokeColor(color);
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = plot.x + i * step;
    const y = plot.y + plot.height - (value / max) * plot.height;
    if (drawing) doc.lineTo(x, y);
    else doc.moveTo(x, y);
    drawing = true;
  });
  doc.stroke().restore();
  if (present.length === 0)
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(LABEL)
      .text('no data in this period', plot.x + 8, plot.y + 8, { lineBreak: false });
  doc.fillColor('#000000');
}
