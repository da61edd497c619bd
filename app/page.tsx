export default function HomePage() {
  return (
    <main>
      <h1>Argus</h1>
      <p>Observability and anomaly detection for LLM agents.</p>
    </main>
  );
}
