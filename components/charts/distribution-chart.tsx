"use client";
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface DistributionLine {
  value: number;
  label: string;
  color: string;
}

/** Histogram of a step's recent values with the baseline's usual value and alert threshold drawn over it. */
export function DistributionChart({ bins, lines, format, height = 220 }: { bins: { lo: number; hi: number; count: number }[]; lines: DistributionLine[]; format: (v: number) => string; height?: number }) {
  const data = bins.map((b) => ({ x: (b.lo + b.hi) / 2, lo: b.lo, hi: b.hi, count: b.count }));
  const max = Math.max(...bins.map((b) => b.hi), ...lines.map((l) => l.value));
  const min = Math.min(...bins.map((b) => b.lo));
  const width = bins.length > 1 ? (max - min) / bins.length : 1;
  return (
    <div style={{ width: "100%", height }}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 18, right: 48, bottom: 0, left: 0 }} barCategoryGap={1}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="x" type="number" domain={[min, max + width]} tickFormatter={format} stroke="var(--muted)" fontSize={11} />
          <YAxis stroke="var(--muted)" fontSize={11} width={40} allowDecimals={false} />
          <Tooltip
            content={({ active, payload }) => {
              const p = payload?.[0]?.payload as { lo: number; hi: number; count: number } | undefined;
              if (!active || !p) return null;
              return (
                <div className="chart-tooltip">
                  {format(p.lo)} – {format(p.hi)}: {p.count} spans
                </div>
              );
            }}
          />
          <Bar dataKey="count" fill="var(--chart-1)" isAnimationActive={false} />
          {lines.map((l) => (
            <ReferenceLine key={l.label} x={l.value} stroke={l.color} strokeDasharray="4 3" strokeWidth={2} label={{ value: l.label, position: "top", fill: l.color, fontSize: 11 }} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
