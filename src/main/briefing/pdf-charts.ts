/** Small vector charts for the recent-activity section, drawn directly with pdfkit. */
import type PDFDocument from 'pdfkit';
import type { Box } from './pdf-map.ts';

type Doc = InstanceType<typeof PDFDocument>;

/** Horizontal bars, one per label, with the count printed after each bar. */
export function drawBars(
  doc: Doc,
  box: Box,
  rows: { label: string; value: number; colour: string }[],
  font: string,
): void {
  const labelW = 118;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const barH = Math.min(14, (box.h - 4) / Math.max(1, rows.length) - 4);
  rows.forEach((r, i) => {
    const y = box.y + i * (barH + 5);
    doc.font(font).fontSize(8).fillColor('#000000');
    doc.text(r.label, box.x, y + barH / 2 - 4, { width: labelW - 6, lineBreak: false });
    const w = ((box.w - labelW - 34) * r.value) / max;
    if (w > 0)
      doc
        .rect(box.x + labelW, y, w, barH)
        .fillColor(r.colour)
        .fill();
    doc.fillColor('#000000').text(String(r.value), box.x + labelW + w + 4, y + barH / 2 - 4, {
      width: 30,
      lineBreak: false,
    });
  });
}

/** A 24-bar histogram of events by local hour of day, with hour ticks every 3 hours. */
export function drawHourHistogram(doc: Doc, box: Box, hourly: number[], font: string): void {
  const axisH = 12;
  const plotH = box.h - axisH - 10;
  const max = Math.max(1, ...hourly);
  const slot = box.w / 24;
  const base = box.y + 10 + plotH;
  doc
    .moveTo(box.x, base)
    .lineTo(box.x + box.w, base)
    .lineWidth(0.5)
    .strokeColor('#444444')
    .stroke();
  for (let h = 0; h < 24; h++) {
    const bh = (plotH * (hourly[h] ?? 0)) / max;
    if (bh > 0)
      doc
        .rect(box.x + h * slot + 1, base - bh, slot - 2, bh)
        .fillColor('#4a6fa5')
        .fill();
  }
  doc.font(font).fontSize(6.5).fillColor('#000000');
  for (let h = 0; h < 24; h += 3) {
    doc.text(String(h).padStart(2, '0'), box.x + h * slot - 4, base + 2, {
      width: slot + 8,
      align: 'left',
      lineBreak: false,
    });
  }
  doc.text(`max ${max}`, box.x + box.w - 40, box.y, { width: 40, align: 'right', lineBreak: false });
}
