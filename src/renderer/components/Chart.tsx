/**
 * Line and bar charts (chart.js on canvas, which the strict CSP allows) in the app's colours for
 * the current theme: colours are read from the CSS variables and re-read when the OS switches
 * between light and dark. Every chart has labelled axes, tooltips and an accessible name.
 */
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js';
import { useEffect, useState } from 'react';
import { Bar, Line } from 'react-chartjs-2';

ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, BarElement, Tooltip, Legend, Filler);

const SERIES_COLORS = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6'] as const;

interface Theme {
  text: string;
  grid: string;
  series: string[];
  byName: (variable: string) => string;
}

function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const byName = (variable: string) => style.getPropertyValue(variable).trim() || '#888888';
  return { text: byName('--text-2'), grid: byName('--border'), series: SERIES_COLORS.map(byName), byName };
}

/** The chart colours of the current theme, updated when the OS colour scheme changes. */
function useChartTheme(): Theme {
  const [theme, setTheme] = useState(readTheme);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setTheme(readTheme());
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return theme;
}

export interface Series {
  label: string;
  values: Array<number | null>;
  /** A CSS variable, e.g. `--chart-2`; by default the series' position picks one. */
  color?: string;
  stack?: string;
}

export interface ChartProps {
  kind: 'line' | 'bar';
  /** What the chart shows, for screen readers (canvas has no text). */
  label: string;
  labels: string[];
  series: Series[];
  xTitle: string;
  yTitle: string;
  /** Formats a value for the axis and the tooltip. */
  format?: (value: number) => string;
  stacked?: boolean;
  yMax?: number;
  /** Counts: whole-number ticks only. */
  integer?: boolean;
  testId?: string;
}

export function Chart({ kind, label, labels, series, xTitle, yTitle, format, stacked, yMax, integer, testId }: ChartProps) {
  const theme = useChartTheme();
  const colorOf = (s: Series, i: number) => (s.color ? theme.byName(s.color) : theme.series[i % theme.series.length]!);
  const axis = (title: string) => ({
    title: { display: true, text: title, color: theme.text },
    ticks: { color: theme.text, maxRotation: 0, autoSkip: true },
    grid: { color: theme.grid },
  });
  const options: ChartOptions<'line' | 'bar'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { display: series.length > 1, labels: { color: theme.text, boxWidth: 12 } },
      tooltip: {
        callbacks: {
          label: (item) => `${item.dataset.label ?? ''}: ${item.parsed.y === null ? '—' : format ? format(item.parsed.y) : item.parsed.y}`,
        },
      },
    },
    scales: {
      x: { ...axis(xTitle), stacked: stacked ?? false },
      y: {
        ...axis(yTitle),
        stacked: stacked ?? false,
        beginAtZero: true,
        ...(yMax !== undefined ? { max: yMax } : {}),
        ticks: {
          color: theme.text,
          ...(integer ? { precision: 0 } : {}),
          ...(format ? { callback: (value: string | number) => format(Number(value)) } : {}),
        },
      },
    },
  };
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.values,
    borderColor: colorOf(s, i),
    backgroundColor: kind === 'bar' ? colorOf(s, i) : `${colorOf(s, i)}33`,
    pointRadius: labels.length > 40 ? 0 : 3,
    borderWidth: 2,
    spanGaps: true,
    fill: kind === 'line' && series.length === 1,
    ...(s.stack ? { stack: s.stack } : {}),
  }));
  return (
    <div className="chart" data-testid={testId}>
      {kind === 'line' ? (
        <Line
          role="img"
          aria-label={label}
          options={options as ChartOptions<'line'>}
          data={{ labels, datasets } as ChartData<'line', Array<number | null>, string>}
        />
      ) : (
        <Bar
          role="img"
          aria-label={label}
          options={options as ChartOptions<'bar'>}
          data={{ labels, datasets } as ChartData<'bar', Array<number | null>, string>}
        />
      )}
    </div>
  );
}
