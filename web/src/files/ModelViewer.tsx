// A GLB model in 3D (three.js: GLTFLoader and OrbitControls), in its own lazily loaded chunk. Drawn only when
// something moved (no animation loop burning a laptop's battery); without WebGL it says so and points to the
// download instead.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement("canvas");
    return !!(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

export default function ModelViewer({ url, name }: { url: string; name: string }) {
  const { t } = useTranslation("files");
  const host = useRef<HTMLDivElement>(null);
  const [supported] = useState(webglAvailable);
  const [state, setState] = useState<{ loaded: boolean; error: string | null }>({ loaded: false, error: null });

  useEffect(() => {
    const element = host.current;
    if (!supported || !element) return;
    const width = element.clientWidth || 480;
    const height = Math.round(width * 0.6);
    const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setSize(width, height);
    renderer.setClearColor(0xf4f6f8);
    element.appendChild(renderer.domElement);
    const scene = new THREE.Scene();
    scene.add(new THREE.HemisphereLight(0xffffff, 0x8a9099, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    scene.add(sun);
    const camera = new THREE.PerspectiveCamera(40, width / height, 0.0001, 1000);
    const controls = new OrbitControls(camera, renderer.domElement);
    const draw = () => {
      sun.position.copy(camera.position);
      renderer.render(scene, camera);
    };
    controls.addEventListener("change", draw);
    let disposed = false;
    new GLTFLoader().load(
      url,
      (gltf) => {
        if (disposed) return;
        const model = gltf.scene;
        model.traverse((node) => {
          if (node instanceof THREE.Mesh) {
            node.material = new THREE.MeshStandardMaterial({ color: 0x9aa4b1, metalness: 0.35, roughness: 0.45 });
          }
        });
        // Centre it and fit the camera to its bounding sphere, looking from the front, right and above.
        const box = new THREE.Box3().setFromObject(model);
        const centre = box.getCenter(new THREE.Vector3());
        const radius = box.getBoundingSphere(new THREE.Sphere()).radius || 1;
        model.position.sub(centre);
        scene.add(model);
        const distance = radius / Math.sin(THREE.MathUtils.degToRad(camera.fov / 2));
        camera.position.set(distance * 0.6, distance * 0.45, distance * 0.66);
        camera.near = distance / 100;
        camera.far = distance * 100;
        camera.updateProjectionMatrix();
        controls.target.set(0, 0, 0);
        controls.update();
        draw();
        setState({ loaded: true, error: null });
      },
      undefined,
      (error) => {
        if (!disposed) setState({ loaded: false, error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      disposed = true;
      controls.dispose();
      renderer.dispose();
      element.removeChild(renderer.domElement);
    };
  }, [url, supported]);

  if (!supported) return <p className="file-warning" role="note">{t("files.noWebgl")}</p>;
  return (
    <figure className="model-viewer">
      <div
        ref={host}
        role="img"
        aria-label={t("files.viewerLabel", { name })}
        data-testid="model-viewer"
        data-loaded={state.loaded ? "true" : "false"}
      />
      <figcaption className="muted">
        {state.error ? t("files.viewerFailed", { error: state.error }) : t("files.viewerHint")}
      </figcaption>
    </figure>
  );
}
