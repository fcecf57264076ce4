/**
 * The sync report as a PDF (pdfkit: pure JavaScript, its standard fonts built in, nothing
 * downloaded): figures, trend charts drawn as vector graphics, failures and project health.
 */
import PDFDocument from 'pdfkit';
import { duration } from '../../shared/duration.ts';
import type { DailySummary } from '../../shared/operations.ts';
import { drawBarChart, drawLineChart, type ChartBox } from './charts.ts';
import type { ReportData } from './reportData.ts';

const MARGIN = 48;
const PAGE = { width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;

const number = (n: number) => n.toLocaleString('en-US');
const percent = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(1)} %`);
const day = (iso: string) => iso.slice(0, 10);

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

export async function renderReportPdf(report: ReportData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `Jira Mirror sync report ${day(report.from)} to ${day(report.to)}`, Creator: 'Jira Mirror', Producer: 'Jira Mirror' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(20).text('Jira Mirror sync report');
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#555555')
    .text(
      `Period ${day(report.from)} to ${day(report.to)} (days in ${report.timeZone}), generated ${report.generatedAt.replace('T', ' ').slice(0, 16)} UTC`,
    );
  doc.fillColor('#000000').moveDown(1);

  section(doc, 'Summary');
  const t = report.totals;
  const statuses = ['completed', 'partial', 'failed', 'stopped', 'interrupted'].map((s) => `${s} ${number(t.byStatus[s] ?? 0)}`).join(', ');
  keyValues(doc, [
    ['Runs', `${number(t.runs)} (${statuses})`],
    ['Success rate', percent(t.successRate)],
    ['Average duration', duration(t.avgDurationMs)],
    ['Slowest day (p95 duration)', duration(t.slowestDayP95Ms)],
    [
      'Issues processed',
      `${number(t.issuesProcessed)} (${number(t.issuesCreated)} created, ${number(t.issuesUpdated)} updated, ${number(t.issuesDeleted)} deleted)`,
    ],
    ['API requests', `${number(t.apiCalls)} (${number(t.retries)} retried, ${number(t.rateLimited)} rate-limited with 429)`],
  ]);

  section(doc, 'Trends');
  const days = report.days;
  const labels = days.map((d) => d.day);
  const chart = (title: string, draw: (box: ChartBox) => void) => {
    ensureSpace(doc, 150);
    const box = { x: MARGIN, y: doc.y, width: CONTENT_WIDTH, height: 120, title };
    draw(box);
    doc.x = MARGIN;
    doc.y = box.y + box.height + 18;
  };
  chart('Runs per day by status', (box) =>
    drawBarChart(doc, box, labels, [
      { name: 'completed', color: '#2e7d32', values: days.map((d) => d.byStatus.completed) },
      { name: 'partial', color: '#f9a825', values: days.map((d) => d.byStatus.partial) },
      { name: 'failed', color: '#c62828', values: days.map((d) => d.byStatus.failed) },
      { name: 'stopped or interrupted', color: '#9e9e9e', values: days.map((d) => d.byStatus.stopped + d.byStatus.interrupted) },
    ]),
  );
  chart('Sync duration per day, p95 (seconds)', (box) =>
    drawLineChart(
      doc,
      box,
      labels,
      days.map((d) => (d.p95DurationMs === null ? null : d.p95DurationMs / 1000)),
      '#1565c0',
    ),
  );
  chart('Issues processed per day', (box) =>
    drawBarChart(doc, box, labels, [{ name: 'issues', color: '#6a1b9a', values: days.map((d) => d.issuesProcessed) }]),
  );
  chart('Database size at the end of each day (MB)', (box) => drawLineChart(doc, box, labels, days.map(databaseMb), '#00695c'));

  section(doc, 'Failures');
  if (report.failuresByCategory.length === 0) doc.font('Helvetica').fontSize(10).text('No failed or partial runs in this period.');
  else {
    table(
      doc,
      [
        { header: 'Category', width: 160 },
        { header: 'Failed or partial runs', width: 140, align: 'right' },
      ],
      report.failuresByCategory.map((f) => [f.category, number(f.runs)]),
    );
    doc.moveDown(0.5);
    if (report.recentFailures.length > 0) {
      doc.font('Helvetica-Bold').fontSize(10).text('Latest failed runs');
      table(
        doc,
        [
          { header: 'Started (UTC)', width: 95 },
          { header: 'Status', width: 55 },
          { header: 'Category', width: 80 },
          { header: 'Message', width: CONTENT_WIDTH - 230 },
        ],
        report.recentFailures.map((r) => [
          r.startedAt.replace('T', ' ').slice(0, 16),
          r.status,
          r.errorCategory ?? '-',
          r.errorMessage ?? '',
        ]),
      );
    }
  }

  section(doc, 'Health by project');
  if (report.projects.length === 0) doc.font('Helvetica').fontSize(10).text('No project was synced in this period.');
  else {
    table(
      doc,
      [
        { header: 'Project', width: 120 },
        { header: 'Health', width: 55 },
        { header: 'Syncs', width: 45, align: 'right' },
        { header: 'Success', width: 55, align: 'right' },
        { header: 'Issues', width: 60, align: 'right' },
        { header: 'Retries / 429', width: 70, align: 'right' },
        { header: 'Last success (UTC)', width: CONTENT_WIDTH - 405 },
      ],
      report.projects.map((p) => [
        `${p.instance}/${p.projectKey}`,
        p.health,
        number(p.runs),
        percent(p.successRate),
        number(p.issuesProcessed),
        `${number(p.retries)} / ${number(p.rateLimited)}`,
        p.lastSuccessAt ? p.lastSuccessAt.replace('T', ' ').slice(0, 16) : 'never',
      ]),
    );
  }
  doc.end();
  return done;
}

function databaseMb(d: DailySummary): number | null {
  return d.databaseBytes === null ? null : d.databaseBytes / 1_048_576;
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > PAGE.height - MARGIN) doc.addPage();
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(14).fillColor('#000000').text(title, MARGIN, doc.y);
  doc.moveDown(0.3);
}

function keyValues(doc: PDFKit.PDFDocument, pairs: Array<[string, string]>): void {
  for (const [key, value] of pairs) {
    ensureSpace(doc, 16);
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(10).text(key, MARGIN, y, { width: 150, lineBreak: false });
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(value, MARGIN + 160, y, { width: CONTENT_WIDTH - 160 });
    doc.moveDown(0.2);
  }
}

function table(doc: PDFKit.PDFDocument, columns: Column[], rows: string[][]): void {
  const line = (cells: string[], bold: boolean) => {
    ensureSpace(doc, 16);
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    let height = 0;
    cells.forEach((cell, i) => {
      const column = columns[i]!;
      const options = { width: column.width - 6, align: column.align ?? 'left' } as const;
      height = Math.max(height, doc.heightOfString(cell, options));
      doc.text(cell, x, y, options);
      x += column.width;
    });
    doc.y = y + height + 3;
  };
  line(
    columns.map((c) => c.header),
    true,
  );
  for (const row of rows) line(row, false);
  doc.x = MARGIN;
}
