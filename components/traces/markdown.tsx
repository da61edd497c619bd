// Chat content as Markdown: the tree from lib/conversation/markdown rendered as React elements, so every
// character of the content reaches the page as text (no HTML is ever interpreted).
import { Fragment, useMemo } from "react";
import { parseMarkdown, type Block, type Inline } from "@/lib/conversation/markdown";

function InlineNodes({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((node, i) => (
        <InlineNode key={i} node={node} />
      ))}
    </>
  );
}

function InlineNode({ node }: { node: Inline }) {
  switch (node.type) {
    case "text":
      return <Fragment>{node.text}</Fragment>;
    case "code":
      return <code className="md-code">{node.text}</code>;
    case "strong":
      return (
        <strong>
          <InlineNodes nodes={node.children} />
        </strong>
      );
    case "em":
      return (
        <em>
          <InlineNodes nodes={node.children} />
        </em>
      );
    case "link":
      return (
        <a href={node.href} target="_blank" rel="noopener noreferrer nofollow">
          <InlineNodes nodes={node.children} />
        </a>
      );
  }
}

function BlockNode({ block }: { block: Block }) {
  switch (block.type) {
    case "paragraph":
      return (
        <p>
          <InlineNodes nodes={block.children} />
        </p>
      );
    case "heading":
      return (
        <p className="md-heading">
          <InlineNodes nodes={block.children} />
        </p>
      );
    case "code":
      return (
        <pre className="md-pre" data-lang={block.lang ?? undefined}>
          <code>{block.text}</code>
        </pre>
      );
    case "quote":
      return (
        <blockquote>
          <InlineNodes nodes={block.children} />
        </blockquote>
      );
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <InlineNodes nodes={item} />
        </li>
      ));
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
  }
}

export function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return (
    <div className="md">
      {blocks.map((block, i) => (
        <BlockNode key={i} block={block} />
      ))}
    </div>
  );
}
