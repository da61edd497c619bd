"use client";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatTime } from "@/lib/charts/units";

export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
}

interface Props {
  data: Array<Record<string, number | null>>;
  series: SeriesSpec[];
  kind?: "line" | "area" | "bar";
  rangeMs: number;
  format: (v: number) => string;
  height?: number;
}

function ChartTooltip({ active, payload, label, format, rangeMs }: { active?: boolean; payload?: Array<{ name: string; value: number | null; color: string }>; label?: number; format: (v: number) => string; rangeMs: number }) {
  if (!active || !payload?.length || label === undefined) return null;
  return (
    <div className="chart-tooltip">
      <div className="muted">{formatTime(label, rangeMs)}</div>
      {payload.map((p) => (
        <div key={p.name} style={{ color: p.color }}>
          {p.name}: {p.value === null || p.value === undefined ? "no data" : format(p.value)}
        </div>
      ))}
    </div>
  );
}

/** Time series with gaps drawn as breaks (null) and zeros as zeros; animation off for stable screenshots. */
export function TimeSeriesChart({ data, series, kind = "line", rangeMs, format, height = 180 }: Props) {
  const axis = {
    x: <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => formatTime(t, rangeMs)} stroke="var(--muted)" fontSize={11} minTickGap={40} />,
    y: <YAxis tickFormatter={(v: number) => format(v)} stroke="var(--muted)" fontSize={11} width={58} allowDecimals />,
  };
  const common = (
    <>
      <CartesianGrid stroke="var(--grid)" vertical={false} />
      {axis.x}
      {axis.y}
      <Tooltip content={<ChartTooltip format={format} rangeMs={rangeMs} />} />
      {series.length > 1 && <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} />}
    </>
  );
  return (
    <div style={{ width: "100%", height }}>
      <ResponsiveContainer>
        {kind === "bar" ? (
          <BarChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            {common}
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} stackId="a" />
            ))}
          </BarChart>
        ) : kind === "area" ? (
          <AreaChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            {common}
            {series.map((s) => (
              <Area key={s.key} dataKey={s.key} name={s.label} stroke={s.color} fill={s.color} fillOpacity={0.18} isAnimationActive={false} type="monotone" connectNulls={false} />
            ))}
          </AreaChart>
        ) : (
          <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            {common}
            {series.map((s) => (
              <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} dot={false} strokeWidth={2} isAnimationActive={false} type="monotone" connectNulls={false} />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
